// A small Salesforce-like schema for the typed tests: objects that refer to each other, the way real
// ones do (Account -> Owner: User -> Manager: User -> Account...).
import type { MultiPicklist } from '../src/index.js';

export interface User {
  Id: string;
  Name: string;
  Email: string;
  IsActive: boolean;
  Manager: User | null;
  Account: Account | null;
}

export interface Contact {
  Id: string;
  FirstName: string | null;
  LastName: string;
  Email: string | null;
  Birthdate: string | null;
  Account: Account | null;
  Owner: User;
}

export interface Opportunity {
  Id: string;
  Name: string;
  Amount: number | null;
  StageName: 'Prospecting' | 'Closed Won' | 'Closed Lost';
  CloseDate: string;
  AccountId: string | null;
  Account: Account | null;
}

export interface Account {
  Id: string;
  Name: string;
  Type: 'Customer' | 'Partner' | 'Prospect' | null;
  Industry: string | null;
  AnnualRevenue: number | null;
  NumberOfEmployees: number | null;
  IsDeleted: boolean;
  CreatedDate: Date;
  Interests__c: MultiPicklist<'Golf' | 'Sailing' | 'Chess'> | null;
  OwnerId: string;
  Owner: User;
  Parent: Account | null;
  Contacts: Contact[];
  Opportunities: Opportunity[];
}
