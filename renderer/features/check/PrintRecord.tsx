/**
 * 核查记录单 / 联合奖惩反馈单: the printed trace of one check (001 §五 留痕管理), drawn from the
 * snapshot frozen when the check was saved (printable.ts).
 */
import { shieldIdentifier } from '../../../shared/domain/identifiers';
import { formatMoment } from '../../app/format';
import { HEADLINE } from './labels';
import type { PrintableCheck } from './printable';

const COLOUR_LABEL = { black: '黑名单', red: '红名单', watch: '重点关注名单' } as const;

export function PrintRecord({ p }: { p: PrintableCheck }) {
  // Personal data is shielded on paper too (004 §3).
  const shownId = shieldIdentifier(p.subjectType, p.identifier);
  return (
    <div className="print-record" data-testid="print-record">
      <h1>信用核查记录单</h1>
      <table className="print-table">
        <tbody>
          <tr>
            <th>记录编号</th>
            <td>{p.checkId}</td>
            <th>核查时间</th>
            <td>{formatMoment(p.at)}</td>
          </tr>
          <tr>
            <th>审批事项</th>
            <td>{p.matterName}</td>
            <th>办理部门</th>
            <td>
              {p.department}（{p.district}）
            </td>
          </tr>
          <tr>
            <th>主体名称</th>
            <td>{p.subjectName ?? '—'}</td>
            <th>主体类型 / 代码</th>
            <td>
              {p.subjectType} / {shownId}
            </td>
          </tr>
          <tr>
            <th>核查结论</th>
            <td colSpan={3}>
              <strong>{HEADLINE[p.headline].title}</strong>
            </td>
          </tr>
          <tr>
            <th>数据时效</th>
            <td colSpan={3}>
              {p.mirrorAsOf === null ? '本地名单从未同步' : `本地名单数据截至 ${formatMoment(p.mirrorAsOf)}`}
              {p.stale && <strong className="print-stale">（已超过时效，本结论须联网复核）</strong>}
            </td>
          </tr>
        </tbody>
      </table>

      <h2>命中记录</h2>
      {p.hits.length === 0 ? (
        <p>未发现有效的红黑名单记录。</p>
      ) : (
        <table className="print-table">
          <thead>
            <tr>
              <th>名单</th>
              <th>主体</th>
              <th>列入事由</th>
              <th>认定部门</th>
              <th>有效期</th>
              <th>记录 / 版本</th>
            </tr>
          </thead>
          <tbody>
            {p.hits.map((h) => (
              <tr key={`${h.via ?? ''}:${h.id}`}>
                <td>
                  {COLOUR_LABEL[h.colour]}·{h.listType}
                </td>
                <td>{h.via ? `${h.subjectName}（${h.via}）` : h.subjectName}</td>
                <td>{h.reason}</td>
                <td>{h.deptName}</td>
                <td>
                  {h.validFrom} 至 {h.validTo ?? '长期'}
                </td>
                <td>
                  {h.id} / 第{h.version}版
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.setAside.length > 0 && <p className="print-note">不予适用：{p.setAside.join('；')}</p>}

      <h2>联合奖惩措施实施情况（反馈）</h2>
      {p.measures.length === 0 ? (
        <p>无需实施联合奖惩措施。</p>
      ) : (
        <table className="print-table">
          <thead>
            <tr>
              <th>措施</th>
              <th>性质</th>
              <th>依据</th>
              <th>实施情况</th>
            </tr>
          </thead>
          <tbody>
            {p.measures.map((m) => (
              <tr key={m.id}>
                <td>{m.title}</td>
                <td>{m.mandatory ? '强制性' : '推荐性'}</td>
                <td className="print-basis">{m.basis}</td>
                <td>{m.decision ? (m.decision === '执行' ? '已执行' : `不执行：${m.reason ?? ''}`) : '未处理'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        容缺受理 / 绿色通道：{p.fastTrack.eligible ? '可适用' : '不适用'}（{p.fastTrack.reason}）
        {p.fastTrack.used && '；本次已按容缺受理办理'}
        {p.fastTrack.greenChannel && '；本次按绿色通道办理'}
      </p>
      <div className="print-sign">
        <span>经办人：{p.clerk}</span>
        <span>复核人：</span>
        <span>日期：{formatMoment(p.at).slice(0, 10)}</span>
      </div>
    </div>
  );
}
