/** Shows a verdict computed by shared/domain/verdict: it adds no rule of its own. */
import { useState } from 'react';
import { Alert, Button, Card, Collapse, Descriptions, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import type { ListRecord, MeasureDecision } from '../../../shared/domain/schemas';
import type { Hit, SetAside, SuggestedMeasure } from '../../../shared/domain/verdict';
import { shieldIdentifier } from '../../../shared/domain/identifiers';
import type { CheckResult } from './check-flow';
import { HEADLINE, SET_ASIDE_LABEL, colourTag } from './labels';
import { ObjectionDialog } from './ObjectionDialog';

interface Props {
  result: CheckResult;
  decisions: Record<string, MeasureDecision>;
  problems: Record<string, string>;
  readOnly: boolean;
  onDecision: (d: MeasureDecision) => void;
}

export function VerdictView({ result, decisions, problems, readOnly, onDecision }: Props) {
  const { verdict } = result;
  const head = HEADLINE[verdict.headline];
  return (
    <div className="verdict" data-testid="verdict" data-headline={verdict.headline} data-identifier={result.identifier} data-at={result.at}>
      <Alert
        type={head.type}
        showIcon
        data-testid="verdict-headline"
        title={<span className="verdict-title">{head.title}</span>}
        description={
          <Space orientation="vertical" size={2}>
            <span>
              {result.subjectName ?? '（本地名单无此主体名称）'} · {result.subjectType} ·{' '}
              <Typography.Text code>{shieldIdentifier(result.subjectType, result.identifier)}</Typography.Text>
            </span>
            <span>
              审批事项：{result.matter.name}（{result.matter.department}）
            </span>
          </Space>
        }
      />
      {result.legacyWarning && <Alert type="warning" showIcon title="代码需人工核实" description={result.legacyWarning} />}
      {verdict.staleness.stale && (
        <Alert
          type="error"
          showIcon
          data-testid="stale-warning"
          title="本地名单数据已过期，结果仅供参考"
          description={verdict.staleness.message}
        />
      )}
      {verdict.conflict && (
        <Alert type="warning" showIcon title="红黑名单冲突：该主体同时在失信名单中，红名单激励不予适用（黑名单优先）" />
      )}

      <HitsCard title="本主体命中记录" hits={verdict.hits} testId="hits" empty="未发现有效的红黑名单记录" />
      {(verdict.linkedHits.length > 0 || verdict.setAside.some((s) => s.via)) && (
        <HitsCard title="关联人员 / 组织命中记录（落实到人）" hits={verdict.linkedHits} testId="linked-hits" empty="关联方无有效记录" />
      )}
      {verdict.setAside.length > 0 && <SetAsideCard items={verdict.setAside} />}

      <Card size="small" title={`应当实施的措施（${verdict.measures.length} 项，强制性在前）`} data-testid="measures">
        {verdict.measures.length === 0 ? (
          <Typography.Text type="secondary">无需实施联合奖惩措施。</Typography.Text>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {verdict.measures.map((s) => (
              <MeasureRow
                key={s.measure.id}
                s={s}
                decision={decisions[s.measure.id]}
                problem={problems[s.measure.id]}
                readOnly={readOnly}
                onDecision={onDecision}
              />
            ))}
          </Space>
        )}
      </Card>

    </div>
  );
}

function recordLine(r: ListRecord) {
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
      <Descriptions.Item label="列入事由">{r.reason}</Descriptions.Item>
      <Descriptions.Item label="认定部门">{r.deptName}</Descriptions.Item>
      <Descriptions.Item label="认定依据">{r.basis}</Descriptions.Item>
      <Descriptions.Item label="认定日期">{r.designatedOn}</Descriptions.Item>
      <Descriptions.Item label="有效期">
        {r.validFrom} 至 {r.validTo ?? '长期'}
      </Descriptions.Item>
      <Descriptions.Item label="严重程度">{r.severity}</Descriptions.Item>
    </Descriptions>
  );
}

function HitsCard({ title, hits, testId, empty }: { title: string; hits: Hit[]; testId: string; empty: string }) {
  const [objecting, setObjecting] = useState<ListRecord | null>(null);
  return (
    <Card size="small" title={`${title}（${hits.length}）`} data-testid={testId}>
      {hits.length === 0 ? (
        <Typography.Text type="secondary">{empty}</Typography.Text>
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {hits.map((h) => (
            <div key={`${h.via?.identifier ?? ''}:${h.record.id}`} className="hit" data-testid="hit">
              <Space wrap>
                {colourTag(h.record.colour)}
                <Typography.Text strong>{h.record.listType}</Typography.Text>
                <span>{h.record.subjectName}</span>
                {h.via && (
                  <Tag color="purple">
                    {h.via.relation}：{h.via.name}
                  </Tag>
                )}
                {h.record.objection === 'rejected' && <Tag>异议已驳回</Tag>}
                <Typography.Text type="secondary">记录 {h.record.id} · 第 {h.record.version} 版</Typography.Text>
                {h.record.colour !== 'red' && (
                  <Button size="small" onClick={() => setObjecting(h.record)} data-testid="raise-objection">
                    登记异议
                  </Button>
                )}
              </Space>
              {recordLine(h.record)}
            </div>
          ))}
        </Space>
      )}
      {objecting && <ObjectionDialog record={objecting} onClose={() => setObjecting(null)} />}
    </Card>
  );
}

function SetAsideCard({ items }: { items: SetAside[] }) {
  return (
    <Collapse
      size="small"
      data-testid="set-aside"
      items={[
        {
          key: 'set-aside',
          label: `不予适用的记录（${items.length}）：已到期、已移出、已修复或异议处理中`,
          children: (
            <Table
              size="small"
              pagination={false}
              rowKey={(s) => `${s.via?.identifier ?? ''}:${s.record.id}`}
              dataSource={items}
              columns={[
                { title: '名单', render: (_, s) => <Space>{colourTag(s.record.colour)}{s.record.listType}</Space> },
                { title: '主体', render: (_, s) => (s.via ? `${s.record.subjectName}（${s.via.relation}）` : s.record.subjectName) },
                { title: '状态', render: (_, s) => <Tag color={s.reason === 'suspended' ? 'orange' : 'default'}>{SET_ASIDE_LABEL[s.reason]}</Tag> },
                { title: '说明', dataIndex: 'explanation' },
              ]}
            />
          ),
        },
      ]}
    />
  );
}

function MeasureRow({
  s,
  decision,
  problem,
  readOnly,
  onDecision,
}: {
  s: SuggestedMeasure;
  decision: MeasureDecision | undefined;
  problem: string | undefined;
  readOnly: boolean;
  onDecision: (d: MeasureDecision) => void;
}) {
  const m = s.measure;
  return (
    <div className={`measure-row${problem ? ' has-problem' : ''}`} data-testid="measure" data-measure-id={m.id}>
      <Space wrap>
        {m.mandatory ? <Tag color="red">强制性</Tag> : <Tag color="blue">推荐性</Tag>}
        <Tag>{m.kind === 'reward' ? '激励' : '惩戒'}</Tag>
        <Typography.Text strong>{m.title}</Typography.Text>
        <Typography.Text type="secondary">
          {m.category} · {m.level} · {m.edition}
        </Typography.Text>
      </Space>
      <div className="measure-content">{m.content}</div>
      <div className="measure-basis">依据：{m.basis}</div>
      <Space wrap className="measure-decision">
        <Radio.Group
          disabled={readOnly}
          value={decision?.decision}
          onChange={(e) => onDecision({ measureId: m.id, decision: e.target.value, reason: decision?.reason })}
          options={[
            { value: '执行', label: '执行' },
            { value: '不执行', label: '不执行' },
          ]}
          data-testid="decision"
        />
        {decision?.decision === '不执行' && (
          <Input
            disabled={readOnly}
            data-testid="decision-reason"
            placeholder={m.mandatory ? '强制性措施不执行，必须填写理由' : '不执行的理由'}
            value={decision.reason ?? ''}
            onChange={(e) => onDecision({ ...decision, reason: e.target.value })}
            style={{ width: 420 }}
          />
        )}
        {problem && <Typography.Text type="danger" data-testid="decision-problem">{problem}</Typography.Text>}
      </Space>
    </div>
  );
}
