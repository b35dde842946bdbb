export * from '@forcekit/core';
