/**
 * For administrators only: export full ID numbers instead of the shielded form. The data layer
 * (renderer/db/disclosure.ts) checks the permission again and audits the export either way.
 */
import { Checkbox } from 'antd';
import { useApp } from '../../app/AppContext';
import { sessionCan } from '../../db/session';

export function UnmaskedExportSwitch({ value, onChange }: { value: boolean; onChange: (v: boolean) => void }) {
  const { actor } = useApp();
  if (!sessionCan(actor, 'export.unmasked')) return null;
  return (
    <Checkbox checked={value} onChange={(e) => onChange(e.target.checked)} data-testid="export-unmasked">
      导出完整证件号码（将记入审计日志）
    </Checkbox>
  );
}
