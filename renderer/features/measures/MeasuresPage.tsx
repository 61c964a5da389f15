/** 措施清单: the measures this workstation applies, filtered as a clerk asks, with their basis. */
import { useMemo, useState } from 'react';
import { Card, Descriptions, Drawer, Input, Select, Space, Table, Tag } from 'antd';
import { MeasureCategory, MeasureLevel } from '../../../shared/domain/schemas';
import type { Measure } from '../../../shared/domain/schemas';
import { useApp } from '../../app/AppContext';

interface Filters {
  category?: string;
  level?: string;
  edition?: string;
  department?: string;
  mandatory?: 'yes' | 'no';
  kind?: Measure['kind'];
  text: string;
}

function matches(m: Measure, f: Filters): boolean {
  const text = f.text.trim();
  return (
    (!f.category || m.category === f.category) &&
    (!f.level || m.level === f.level) &&
    (!f.edition || m.edition === f.edition) &&
    (!f.kind || m.kind === f.kind) &&
    (!f.mandatory || m.mandatory === (f.mandatory === 'yes')) &&
    (!f.department || m.implementingDepts.includes('*') || m.implementingDepts.includes(f.department)) &&
    (!text || `${m.title}${m.content}${m.basis}${m.initiatingDept}${m.id}`.includes(text))
  );
}

const options = (values: Iterable<string>) => [...new Set(values)].sort().map((v) => ({ value: v, label: v }));

export function MeasuresPage() {
  const { measures, matters } = useApp();
  const [f, setF] = useState<Filters>({ text: '' });
  const [detail, setDetail] = useState<Measure | null>(null);
  const rows = useMemo(() => measures.filter((m) => matches(m, f)), [measures, f]);
  const editions = useMemo(() => options(measures.map((m) => m.edition)), [measures]);
  const departments = useMemo(() => options(matters.map((m) => m.department)), [matters]);
  const matterName = useMemo(() => new Map(matters.map((m) => [m.id, m.name])), [matters]);

  return (
    <Card title={`措施清单（${rows.length} / ${measures.length}）`} size="small" data-testid="measures-page">
      <Space style={{ marginBottom: 12 }} wrap>
        <Select allowClear placeholder="类别" style={{ width: 110 }} value={f.category} onChange={(category) => setF({ ...f, category })} options={MeasureCategory.options.map((c) => ({ value: c, label: c }))} />
        <Select allowClear placeholder="层级" style={{ width: 100 }} value={f.level} onChange={(level) => setF({ ...f, level })} options={MeasureLevel.options.map((c) => ({ value: c, label: c }))} />
        <Select allowClear placeholder="版本" style={{ width: 110 }} value={f.edition} onChange={(edition) => setF({ ...f, edition })} options={editions} />
        <Select allowClear placeholder="实施部门" style={{ width: 200 }} value={f.department} onChange={(department) => setF({ ...f, department })} options={departments} data-testid="measure-dept-filter" />
        <Select
          allowClear
          placeholder="强制 / 推荐"
          style={{ width: 120 }}
          value={f.mandatory}
          onChange={(mandatory) => setF({ ...f, mandatory })}
          options={[
            { value: 'yes', label: '强制性' },
            { value: 'no', label: '推荐性' },
          ]}
        />
        <Select
          allowClear
          placeholder="奖惩"
          style={{ width: 90 }}
          value={f.kind}
          onChange={(kind) => setF({ ...f, kind })}
          options={[
            { value: 'punishment', label: '惩戒' },
            { value: 'reward', label: '激励' },
          ]}
        />
        <Input.Search placeholder="搜索措施、依据、发起部门" allowClear onSearch={(text) => setF({ ...f, text })} style={{ width: 280 }} data-testid="measure-search" />
      </Space>
      <Table<Measure>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        onRow={(m) => ({ onClick: () => setDetail(m), style: { cursor: 'pointer' } })}
        columns={[
          { title: '编号', dataIndex: 'id', width: 120 },
          { title: '措施', dataIndex: 'title' },
          { title: '类别', dataIndex: 'category', width: 80 },
          { title: '性质', width: 80, render: (_, m) => (m.mandatory ? <Tag color="red">强制性</Tag> : <Tag color="blue">推荐性</Tag>) },
          { title: '奖惩', width: 60, render: (_, m) => (m.kind === 'reward' ? '激励' : '惩戒') },
          { title: '层级', dataIndex: 'level', width: 60 },
          { title: '版本', dataIndex: 'edition', width: 80 },
          { title: '发起部门', dataIndex: 'initiatingDept', width: 200 },
        ]}
      />
      <Drawer open={detail !== null} onClose={() => setDetail(null)} size="large" title={detail?.title} data-testid="measure-detail">
        {detail && (
          <Descriptions column={1} bordered size="small" styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label="编号">{detail.id}</Descriptions.Item>
            <Descriptions.Item label="措施内容">{detail.content}</Descriptions.Item>
            <Descriptions.Item label="依据">{detail.basis}</Descriptions.Item>
            <Descriptions.Item label="性质">{detail.mandatory ? '强制性（依法必须实施）' : '推荐性（可视情况实施）'}</Descriptions.Item>
            <Descriptions.Item label="类别 / 层级 / 版本">{`${detail.category} / ${detail.level} / ${detail.edition}`}</Descriptions.Item>
            <Descriptions.Item label="发起部门">{detail.initiatingDept}</Descriptions.Item>
            <Descriptions.Item label="实施部门">{detail.implementingDepts.includes('*') ? '各有关部门' : detail.implementingDepts.join('、')}</Descriptions.Item>
            <Descriptions.Item label="适用名单">{`${detail.colours.map((c) => ({ black: '黑名单', red: '红名单', watch: '重点关注' })[c]).join('、')}：${detail.listTypes.includes('*') ? '全部' : detail.listTypes.join('、')}`}</Descriptions.Item>
            <Descriptions.Item label="适用事项">{detail.matters.includes('*') ? '全部事项' : detail.matters.map((id) => matterName.get(id) ?? id).join('、')}</Descriptions.Item>
            <Descriptions.Item label="最低严重程度">{detail.minSeverity}</Descriptions.Item>
            <Descriptions.Item label="对象">{{ subject: '失信主体', person: '法定代表人及相关责任人', both: '失信主体及其法定代表人、责任人' }[detail.target]}</Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
    </Card>
  );
}
