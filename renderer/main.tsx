import { StrictMode } from 'react';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { installExternalLinkGuard } from './app/external-links';

installExternalLinkGuard();

const el = document.getElementById('root');
if (!el) throw new Error('页面缺少 #root 元素');
createRoot(el).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
