// Entry: mount the app once the first page's module is there (App.tsx: firstPageReady).
import { createRoot } from 'react-dom/client';
import { App, firstPageReady } from './App.tsx';
import './styles.css';

firstPageReady().then(() => createRoot(document.getElementById('root')!).render(<App />));
