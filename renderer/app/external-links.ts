/**
 * A click on a link to another origin never navigates the app's window: it is handed to the
 * bridge, which opens it outside only when the allow-list permits. Main refuses navigation
 * too; this keeps the browser variant honest and the clerk's work on screen.
 */
import { getClientApi } from '../bridge';

export function installExternalLinkGuard(doc: Document = document): () => void {
  const onClick = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.('a[href]');
    if (!(a instanceof HTMLAnchorElement)) return;
    let url: URL;
    try {
      url = new URL(a.href, doc.baseURI);
    } catch {
      e.preventDefault();
      return;
    }
    if (url.origin === doc.location.origin) return;
    e.preventDefault();
    void getClientApi().openExternal(url.href);
  };
  doc.addEventListener('click', onClick, true);
  return () => doc.removeEventListener('click', onClick, true);
}
