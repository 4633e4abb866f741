// Vite asset imports.
declare module '*.css';
