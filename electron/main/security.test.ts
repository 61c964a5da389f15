import { describe, expect, it, vi } from 'vitest';
import { isAppUrl } from './origin';
import {
  decideNavigation,
  hardenSession,
  hardenWebContents,
  isPermissionGranted,
  openIfAllowed,
  type HardenableContents,
  type HardenableSession,
} from './security';

type Listener = (event: { preventDefault(): void; url: string }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let windowOpen: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: HardenableContents = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => {
      windowOpen = handler;
    },
  };
  const fire = (event: string, url = '') => {
    const e = { url, preventDefault: vi.fn() };
    listeners.get(event)?.(e);
    return e.preventDefault;
  };
  return { contents, fire, windowOpen: (url: string) => windowOpen?.({ url }) };
}

function harden() {
  const fake = fakeContents();
  const openExternal = vi.fn();
  const onRefused = vi.fn();
  hardenWebContents(fake.contents, { isTrustedUrl: isAppUrl, openAllowedLink: openExternal, onRefused });
  return { ...fake, openExternal, onRefused };
}

describe('decideNavigation', () => {
  it('allows our own page, sends allow-listed links outside, refuses the rest', () => {
    expect(decideNavigation('app://hechatai/index.html', isAppUrl)).toBe('allow');
    expect(decideNavigation('https://www.creditchina.gov.cn/', isAppUrl)).toBe('open-external');
    expect(decideNavigation('https://evil.example/', isAppUrl)).toBe('deny');
    expect(decideNavigation('file:///etc/passwd', isAppUrl)).toBe('deny');
  });
});

describe('hardenWebContents', () => {
  it('a link to another site cannot navigate the window', () => {
    const { fire, openExternal, onRefused } = harden();
    const prevented = fire('will-navigate', 'https://evil.example/');
    expect(prevented).toHaveBeenCalled();
    expect(openExternal).not.toHaveBeenCalled();
    expect(onRefused).toHaveBeenCalledWith('navigation', 'https://evil.example/');
  });

  it('an allow-listed link opens in the system browser instead of the window', () => {
    const { fire, openExternal } = harden();
    const prevented = fire('will-navigate', 'https://www.creditchina.gov.cn/');
    expect(prevented).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://www.creditchina.gov.cn/');
  });

  it('our own page may navigate within app://hechatai', () => {
    const { fire } = harden();
    expect(fire('will-navigate', 'app://hechatai/index.html')).not.toHaveBeenCalled();
  });

  it('a redirect cannot take the window elsewhere', () => {
    const { fire } = harden();
    expect(fire('will-redirect', 'https://evil.example/')).toHaveBeenCalled();
  });

  it('window.open never creates a window; allow-listed URLs go to the system browser', () => {
    const { windowOpen, openExternal } = harden();
    expect(windowOpen('https://evil.example/')).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(windowOpen('https://www.gsxt.gov.cn/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://www.gsxt.gov.cn/');
    expect(windowOpen('app://hechatai/index.html')).toEqual({ action: 'deny' });
  });

  it('a webview is never attached', () => {
    const { fire } = harden();
    expect(fire('will-attach-webview')).toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('grants only clipboard write and persistent storage, and only to our own page', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://hechatai/index.html', isAppUrl)).toBe(true);
    expect(isPermissionGranted('persistent-storage', 'app://hechatai', isAppUrl)).toBe(true);
    expect(isPermissionGranted('persistent-storage', 'https://evil.example/', isAppUrl)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'fileSystem']) {
      expect(isPermissionGranted(p, 'app://hechatai/index.html', isAppUrl)).toBe(false);
    }
  });

  it('hardenSession installs both the request and the check handler', () => {
    let request: Parameters<HardenableSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<HardenableSession['setPermissionCheckHandler']>[0] | undefined;
    hardenSession(
      {
        setPermissionRequestHandler: (h) => {
          request = h;
        },
        setPermissionCheckHandler: (h) => {
          check = h;
        },
      },
      isAppUrl,
    );
    const callback = vi.fn();
    request?.(null, 'media', callback, { requestingUrl: 'app://hechatai/index.html' });
    expect(callback).toHaveBeenCalledWith(false);
    request?.(null, 'persistent-storage', callback, { requestingUrl: 'app://hechatai/index.html' });
    expect(callback).toHaveBeenLastCalledWith(true);
    expect(check?.(null, 'clipboard-sanitized-write', 'app://hechatai')).toBe(true);
    expect(check?.(null, 'geolocation', 'app://hechatai')).toBe(false);
  });
});

describe('openIfAllowed', () => {
  it('calls the opener only with an allow-listed, normalised URL', () => {
    const open = vi.fn();
    expect(openIfAllowed('https://evil.example/', open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(openIfAllowed('https://WWW.CREDITCHINA.GOV.CN', open)).toBe(true);
    expect(open).toHaveBeenCalledWith('https://www.creditchina.gov.cn/');
  });
});
