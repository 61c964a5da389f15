/**
 * 名单查询方式: how this window answers identifier look-ups (lookup-service.ts): from the
 * look-up file of the current list generation, or through the local database while the file
 * is being built, when it failed, or where the engine has no file system for it.
 */
import { useEffect, useState } from 'react';
import { Card, Typography } from 'antd';
import { useApp } from '../../app/AppContext';
import type { LookupHostStats } from '../../db/lookup-host';
import { lookupServiceOf } from '../../db/lookup-service';

type Shown = { kind: 'loading' } | { kind: 'none' } | { kind: 'stats'; stats: LookupHostStats };

/** The status line for `shown`, in the clerk's words. */
export function lookupStatusText(shown: Shown): string {
  if (shown.kind === 'loading') return '正在读取…';
  if (shown.kind === 'none') return '经本地数据库查询（本环境不支持查询文件）';
  const { stats } = shown;
  const counts = `已由查询文件作答 ${stats.fromFile} 次，经本地数据库 ${stats.fromDatabase} 次`;
  if (stats.file) return `查询文件：第 ${stats.file.gen} 代名单，${(stats.file.bytes / 2 ** 20).toFixed(1)} MB；${counts}`;
  if (stats.building) return `正在生成查询文件，生成前经本地数据库查询；${counts}`;
  if (stats.buildError) return `查询文件不可用（${stats.buildError}），经本地数据库查询；${counts}`;
  return `经本地数据库查询（首次查询后生成查询文件）；${counts}`;
}

export function LookupStatus() {
  const { db } = useApp();
  const service = lookupServiceOf(db);
  const [shown, setShown] = useState<Shown>(service ? { kind: 'loading' } : { kind: 'none' });
  useEffect(() => {
    if (!service) return;
    let alive = true;
    const read = async (): Promise<void> => {
      const stats = await service.status();
      if (alive) setShown(stats ? { kind: 'stats', stats } : { kind: 'none' });
    };
    void read();
    const timer = setInterval(() => void read(), 2_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [service]);
  return (
    <Card size="small" title="名单查询方式" data-testid="lookup-status" style={{ maxWidth: 720, marginTop: 16 }}>
      <Typography.Text data-testid="lookup-status-text">{lookupStatusText(shown)}</Typography.Text>
    </Card>
  );
}
