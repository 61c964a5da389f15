/** 措施清单: the measures this workstation applies, with their basis. */
import { useMemo, useState } from 'react';
import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { MeasureCategory } from '../../../shared/domain/schemas';
import type { Measure } from '../../../shared/domain/schemas';
import { useApp } from '../../app/AppContext';

export function MeasuresPage() {
  const { measures } = useApp();
  const [category, setCategory] = useState<string | undefined>();
  const [text, setText] = useState('');
  const rows = useMemo(
    () =>
      measures.filter(
        (m) =>
          (!category || m.category === category) &&
          (!text || `${m.title}${m.content}${m.basis}${m.initiatingDept}`.includes(text.trim())),
      ),
    [measures, category, text],
  );
  return (
    <Card title={`措施清单（${rows.length} / ${measures.length}）`} size="small" data-testid="measures-page">
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder="措施类别"
          style={{ width: 160 }}
          value={category}
          onChange={setCategory}
          options={MeasureCategory.options.map((c) => ({ value: c, label: c }))}
        />
        <Input.Search placeholder="搜索措施、依据、发起部门" allowClear onSearch={setText} style={{ width: 320 }} />
      </Space>
      <Table<Measure>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        expandable={{ expandedRowRender: (m) => <div><p>{m.content}</p><p>依据：{m.basis}</p></div> }}
        columns={[
          { title: '措施', dataIndex: 'title' },
          { title: '类别', dataIndex: 'category', width: 90 },
          { title: '性质', width: 90, render: (_, m) => (m.mandatory ? <Tag color="red">强制性</Tag> : <Tag color="blue">推荐性</Tag>) },
          { title: '奖惩', width: 70, render: (_, m) => (m.kind === 'reward' ? '激励' : '惩戒') },
          { title: '层级', dataIndex: 'level', width: 70 },
          { title: '版本', dataIndex: 'edition', width: 90 },
          { title: '发起部门', dataIndex: 'initiatingDept' },
          { title: '实施部门', render: (_, m) => m.implementingDepts.join('、') },
        ]}
      />
    </Card>
  );
}
