// Entry of the browser variant (web.html): install the in-page bridge, then start the same app.
import { installWebBridge } from './bridge/web';

installWebBridge();
await import('./main');
