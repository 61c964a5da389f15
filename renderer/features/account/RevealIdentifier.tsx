/**
 * A shielded ID number with, for administrators, a button that shows it in full: the data
 * layer checks the permission and writes the audit entry (renderer/db/disclosure.ts).
 */
import { useState } from 'react';
import { App as AntApp, Button, Typography } from 'antd';
import { shieldIdentifier } from '../../../shared/domain/identifiers';
import type { SubjectType } from '../../../shared/domain/schemas';
import { useApp } from '../../app/AppContext';
import { revealIdentifier } from '../../db/disclosure';
import { sessionCan } from '../../db/session';

export function RevealIdentifier({ subjectType, identifier, screen, recordId }: { subjectType: SubjectType; identifier: string; screen: string; recordId: string }) {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [full, setFull] = useState<string | null>(null);
  const shielded = shieldIdentifier(subjectType, identifier);
  if (full !== null) return <Typography.Text data-testid="revealed-identifier">{full}</Typography.Text>;
  return (
    <>
      <span data-testid="shielded-identifier">{shielded}</span>
      {shielded !== identifier && sessionCan(app.actor, 'identifier.unmask') && (
        <Button
          size="small"
          type="link"
          data-testid="reveal-identifier"
          onClick={() =>
            void revealIdentifier(app.db, app.actor, { subjectType, identifier }, { screen, recordId }, app.now()).then(setFull, (e: unknown) =>
              message.error(e instanceof Error ? e.message : String(e)),
            )
          }
        >
          显示完整号码
        </Button>
      )}
    </>
  );
}
