import { fieldDef, type ObjectDef } from '../field.js';
import { audit, id, isDeleted, lastViewed, objectDef, owner, system } from './common.js';

/** Case, Task and Event. */

export const CASE_STATUSES = ['New', 'Working', 'Escalated', 'Closed'];
export const CLOSED_CASE_STATUSES: ReadonlySet<string> = new Set(['Closed']);

export function caseObject(): ObjectDef {
  return objectDef({
    name: 'Case',
    label: 'Case',
    labelPlural: 'Cases',
    keyPrefix: '500',
    feedEnabled: true,
    fields: [
      id('Case ID'),
      isDeleted(),
      system({
        name: 'MasterRecordId',
        label: 'Master Record ID',
        type: 'reference',
        referenceTo: ['Case'],
        relationshipName: 'MasterRecord',
      }),
      system({
        name: 'CaseNumber',
        label: 'Case Number',
        type: 'string',
        length: 30,
        nillable: false,
        defaultedOnCreate: true,
        autoNumber: true,
        nameField: true,
        idLookup: true,
      }),
      fieldDef({
        name: 'ContactId',
        label: 'Contact ID',
        type: 'reference',
        referenceTo: ['Contact'],
        relationshipName: 'Contact',
        childRelationshipName: 'Cases',
      }),
      fieldDef({
        name: 'AccountId',
        label: 'Account ID',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationshipName: 'Cases',
      }),
      fieldDef({
        name: 'ParentId',
        label: 'Parent Case ID',
        type: 'reference',
        referenceTo: ['Case'],
        relationshipName: 'Parent',
        childRelationshipName: 'Cases',
      }),
      fieldDef({ name: 'SuppliedName', label: 'Name', type: 'string', length: 80 }),
      fieldDef({ name: 'SuppliedEmail', label: 'Email Address', type: 'email' }),
      fieldDef({ name: 'SuppliedPhone', label: 'Phone', type: 'string', length: 40 }),
      fieldDef({ name: 'SuppliedCompany', label: 'Company', type: 'string', length: 80 }),
      fieldDef({
        name: 'Type',
        label: 'Case Type',
        type: 'picklist',
        picklistValues: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'],
      }),
      fieldDef({
        name: 'Status',
        label: 'Status',
        type: 'picklist',
        defaultedOnCreate: true,
        picklistValues: CASE_STATUSES,
        defaultPicklistValue: 'New',
      }),
      fieldDef({
        name: 'Reason',
        label: 'Case Reason',
        type: 'picklist',
        picklistValues: [
          'Installation',
          'Equipment Complexity',
          'Performance',
          'Breakdown',
          'Equipment Design',
          'Feedback',
          'Other',
        ],
      }),
      fieldDef({
        name: 'Origin',
        label: 'Case Origin',
        type: 'picklist',
        picklistValues: ['Phone', 'Email', 'Web'],
      }),
      fieldDef({ name: 'Subject', label: 'Subject', type: 'string', length: 255 }),
      fieldDef({
        name: 'Priority',
        label: 'Priority',
        type: 'picklist',
        defaultedOnCreate: true,
        picklistValues: ['High', 'Medium', 'Low'],
        defaultPicklistValue: 'Medium',
      }),
      fieldDef({ name: 'Description', label: 'Description', type: 'textarea', length: 32000 }),
      system({ name: 'IsClosed', label: 'Closed', type: 'boolean', nillable: false }),
      system({ name: 'ClosedDate', label: 'Closed Date', type: 'datetime' }),
      fieldDef({ name: 'IsEscalated', label: 'Escalated', type: 'boolean', defaultValue: false }),
      owner(['User']),
      ...audit(),
      fieldDef({ name: 'Comments', label: 'Internal Comments', type: 'textarea', length: 4000 }),
      ...lastViewed(),
    ],
  });
}

const WHO_ID = {
  name: 'WhoId',
  label: 'Name ID',
  type: 'reference',
  referenceTo: ['Contact', 'Lead'],
  relationshipName: 'Who',
} as const;

const WHAT_ID = {
  name: 'WhatId',
  label: 'Related To ID',
  type: 'reference',
  referenceTo: ['Account', 'Case', 'Opportunity'],
  relationshipName: 'What',
} as const;

export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
];

export function task(): ObjectDef {
  return objectDef({
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    mergeable: false,
    fields: [
      id('Activity ID'),
      fieldDef({ ...WHO_ID, childRelationshipName: 'Tasks', cascadeDelete: true }),
      fieldDef({ ...WHAT_ID, childRelationshipName: 'Tasks', cascadeDelete: true }),
      fieldDef({
        name: 'Subject',
        label: 'Subject',
        type: 'combobox',
        picklistValues: ['Call', 'Send Letter', 'Send Quote', 'Other'],
      }),
      fieldDef({ name: 'ActivityDate', label: 'Due Date Only', type: 'date' }),
      fieldDef({
        name: 'Status',
        label: 'Status',
        type: 'picklist',
        length: 40,
        nillable: false,
        defaultedOnCreate: true,
        picklistValues: TASK_STATUSES,
        defaultPicklistValue: 'Not Started',
      }),
      fieldDef({
        name: 'Priority',
        label: 'Priority',
        type: 'picklist',
        length: 40,
        nillable: false,
        defaultedOnCreate: true,
        picklistValues: ['High', 'Normal', 'Low'],
        defaultPicklistValue: 'Normal',
      }),
      system({ name: 'IsHighPriority', label: 'High Priority', type: 'boolean', nillable: false }),
      owner(['User'], 'Assigned To ID'),
      fieldDef({ name: 'Description', label: 'Description', type: 'textarea', length: 32000 }),
      isDeleted(),
      system({
        name: 'AccountId',
        label: 'Account ID',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
      }),
      system({ name: 'IsClosed', label: 'Closed', type: 'boolean', nillable: false }),
      ...audit(),
      fieldDef({ name: 'CallDurationInSeconds', label: 'Call Duration', type: 'int', digits: 8 }),
      fieldDef({
        name: 'CallType',
        label: 'Call Type',
        type: 'picklist',
        length: 40,
        picklistValues: ['Internal', 'Inbound', 'Outbound'],
      }),
      fieldDef({
        name: 'TaskSubtype',
        label: 'Task Subtype',
        type: 'picklist',
        length: 40,
        updateable: false,
        picklistValues: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
      }),
      fieldDef({
        name: 'CompletedDateTime',
        label: 'Completed Date/Time',
        type: 'datetime',
        createable: false,
      }),
    ],
  });
}

export function event(): ObjectDef {
  return objectDef({
    name: 'Event',
    label: 'Event',
    labelPlural: 'Events',
    keyPrefix: '00U',
    fields: [
      id('Activity ID'),
      fieldDef({ ...WHO_ID, childRelationshipName: 'Events', cascadeDelete: true }),
      fieldDef({ ...WHAT_ID, childRelationshipName: 'Events', cascadeDelete: true }),
      fieldDef({
        name: 'Subject',
        label: 'Subject',
        type: 'combobox',
        picklistValues: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'],
      }),
      fieldDef({ name: 'Location', label: 'Location', type: 'string', length: 255 }),
      fieldDef({ name: 'IsAllDayEvent', label: 'All-Day Event', type: 'boolean', defaultValue: false }),
      fieldDef({ name: 'ActivityDateTime', label: 'Due Date Time', type: 'datetime' }),
      fieldDef({ name: 'ActivityDate', label: 'Due Date Only', type: 'date' }),
      fieldDef({ name: 'DurationInMinutes', label: 'Duration', type: 'int', digits: 8 }),
      fieldDef({ name: 'StartDateTime', label: 'Start Date Time', type: 'datetime' }),
      fieldDef({ name: 'EndDateTime', label: 'End Date Time', type: 'datetime' }),
      fieldDef({ name: 'EndDate', label: 'End', type: 'date', createable: false, updateable: false }),
      fieldDef({ name: 'Description', label: 'Description', type: 'textarea', length: 32000 }),
      system({
        name: 'AccountId',
        label: 'Account ID',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
      }),
      owner(['User'], 'Assigned To ID'),
      fieldDef({ name: 'IsPrivate', label: 'Private', type: 'boolean', defaultValue: false }),
      fieldDef({
        name: 'ShowAs',
        label: 'Show Time As',
        type: 'picklist',
        length: 40,
        picklistValues: ['Busy', 'OutOfOffice', 'Free'],
        defaultedOnCreate: true,
        defaultPicklistValue: 'Busy',
      }),
      isDeleted(),
      ...audit(),
      fieldDef({
        name: 'EventSubtype',
        label: 'Event Subtype',
        type: 'picklist',
        length: 40,
        updateable: false,
        picklistValues: ['Event'],
      }),
    ],
  });
}
