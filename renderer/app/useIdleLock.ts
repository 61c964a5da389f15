/**
 * Locks the session after `idleMinutes` without keyboard, pointer or wheel input
 * (shared/domain/accounts.ts shouldLock), reading the app's clock so a test can move it.
 */
import { useEffect, useRef } from 'react';
import { shouldLock } from '../../shared/domain/accounts';

const EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 5_000;

export function useIdleLock(active: boolean, idleMinutes: number, now: () => number, onIdle: () => void): void {
  const last = useRef(now());
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!active) return;
    last.current = now();
    const touch = () => {
      last.current = now();
    };
    for (const e of EVENTS) document.addEventListener(e, touch, { capture: true, passive: true });
    const timer = setInterval(() => {
      if (!shouldLock(last.current, now(), idleMinutes)) return;
      // Once per idle spell: a clock that jumps far ahead (sleep, resume) must lock once.
      last.current = now();
      onIdleRef.current();
    }, CHECK_EVERY_MS);
    return () => {
      for (const e of EVENTS) document.removeEventListener(e, touch, { capture: true });
      clearInterval(timer);
    };
  }, [active, idleMinutes, now]);
}
