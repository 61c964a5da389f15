/**
 * Preload of the main window (sandboxed, context-isolated): exposes the typed bridge and
 * nothing else. Built as CommonJS, which a sandboxed preload requires.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createClientApi } from './api';

contextBridge.exposeInMainWorld('clientApi', createClientApi(ipcRenderer));
