/**
 * 现场检查 (分类监管, 001 §十二, 004 §8): the inspector's subjects by supervision class with a
 * suggested inspection frequency, inspection records made on site with no network (photos,
 * documents, an optional 发起 report), and the inspector's own records with their sync state.
 */
import { useCallback, useState } from 'react';
import { Alert, Card, Tabs } from 'antd';
import { can } from '../../../shared/domain/accounts';
import type { InspectionFinding } from '../../../shared/domain/schemas';
import { useApp } from '../../app/AppContext';
import type { SupervisedSubject } from '../../db/inspections';
import { FrequencySettings } from './FrequencySettings';
import { InspectionForm } from './InspectionForm';
import { InspectionList } from './InspectionList';
import { SubjectList } from './SubjectList';
import './inspect.css';

type Tab = 'subjects' | 'mine';

export function InspectPage() {
  const app = useApp();
  const allowed = can(app.actor.role, 'inspection.perform');
  const [tab, setTab] = useState<Tab>('subjects');
  const [inspecting, setInspecting] = useState<SupervisedSubject | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [changed, setChanged] = useState<{ identifier: string; nonce: number } | null>(null);

  const onInspect = useCallback((s: SupervisedSubject) => setInspecting(s), []);

  function onSaved(f: InspectionFinding) {
    setInspecting(null);
    setRevision((r) => r + 1);
    setChanged({ identifier: f.identifier, nonce: Date.now() });
    setTab('mine');
    setOpenId(f.id);
  }

  return (
    <Card size="small" title="现场检查（分类监管）" extra={<FrequencySettings />} data-testid="inspect-page">
      {!allowed && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`当前账号（${app.actor.role}）无权录入现场检查，只能查看辖区主体的监管类别`}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        items={[
          {
            key: 'subjects',
            label: '辖区主体',
            children: <SubjectList onInspect={onInspect} changed={changed} allowed={allowed} />,
          },
          {
            key: 'mine',
            label: '我的检查记录',
            children: <InspectionList revision={revision} open={openId} onOpen={setOpenId} />,
          },
        ]}
        data-testid="inspect-tabs"
      />
      {inspecting && <InspectionForm subject={inspecting} onClose={() => setInspecting(null)} onSaved={onSaved} />}
    </Card>
  );
}
