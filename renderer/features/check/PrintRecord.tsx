/**
 * 核查记录单 / 联合奖惩反馈单: the printed trace of one check (001 §五 留痕管理). Rendered in
 * the page and shown only by the print stylesheet; the bridge prints it to PDF (desktop)
 * or opens the browser's print dialog (browser variant).
 */
import type { MeasureDecision } from '../../../shared/domain/schemas';
import { maskIdNumber } from '../../../shared/domain/identifiers';
import { formatMoment } from '../../app/format';
import type { CheckResult } from './check-flow';
import { HEADLINE, SET_ASIDE_LABEL } from './labels';

const COLOUR_LABEL = { black: '黑名单', red: '红名单', watch: '重点关注名单' } as const;

export interface PrintProps {
  result: CheckResult;
  decisions: MeasureDecision[];
  checkId: string;
  clerk: string;
  district: string;
  mirrorAsOf: number | null;
}

export function PrintRecord({ result, decisions, checkId, clerk, district, mirrorAsOf }: PrintProps) {
  const { verdict } = result;
  const byId = new Map(decisions.map((d) => [d.measureId, d]));
  // Personal data is shielded on paper too (004 §3).
  const shownId = result.subjectType === '自然人' ? maskIdNumber(result.identifier) : result.identifier;
  return (
    <div className="print-record" data-testid="print-record">
      <h1>信用核查记录单</h1>
      <table className="print-table">
        <tbody>
          <tr>
            <th>记录编号</th>
            <td>{checkId}</td>
            <th>核查时间</th>
            <td>{formatMoment(result.at)}</td>
          </tr>
          <tr>
            <th>审批事项</th>
            <td>{result.matter.name}</td>
            <th>办理部门</th>
            <td>{result.matter.department}（{district}）</td>
          </tr>
          <tr>
            <th>主体名称</th>
            <td>{result.subjectName ?? '—'}</td>
            <th>主体类型 / 代码</th>
            <td>
              {result.subjectType} / {shownId}
            </td>
          </tr>
          <tr>
            <th>核查结论</th>
            <td colSpan={3}>
              <strong>{HEADLINE[verdict.headline].title}</strong>
            </td>
          </tr>
          <tr>
            <th>数据时效</th>
            <td colSpan={3}>
              {mirrorAsOf === null ? '本地名单从未同步' : `本地名单数据截至 ${formatMoment(mirrorAsOf)}`}
              {verdict.staleness.stale && <strong className="print-stale">（已超过时效，本结论须联网复核）</strong>}
            </td>
          </tr>
        </tbody>
      </table>

      <h2>命中记录</h2>
      {verdict.hits.length + verdict.linkedHits.length === 0 ? (
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
            {[...verdict.hits, ...verdict.linkedHits].map((h) => (
              <tr key={`${h.via?.identifier ?? ''}:${h.record.id}`}>
                <td>
                  {COLOUR_LABEL[h.record.colour]}·{h.record.listType}
                </td>
                <td>{h.via ? `${h.record.subjectName}（${h.via.relation}）` : h.record.subjectName}</td>
                <td>{h.record.reason}</td>
                <td>{h.record.deptName}</td>
                <td>
                  {h.record.validFrom} 至 {h.record.validTo ?? '长期'}
                </td>
                <td>
                  {h.record.id} / 第{h.record.version}版
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {verdict.setAside.length > 0 && (
        <p className="print-note">
          不予适用：
          {verdict.setAside.map((s) => `${s.record.listType}（${SET_ASIDE_LABEL[s.reason]}）`).join('；')}
        </p>
      )}

      <h2>联合奖惩措施实施情况（反馈）</h2>
      {verdict.measures.length === 0 ? (
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
            {verdict.measures.map((s) => {
              const d = byId.get(s.measure.id);
              return (
                <tr key={s.measure.id}>
                  <td>{s.measure.title}</td>
                  <td>{s.measure.mandatory ? '强制性' : '推荐性'}</td>
                  <td className="print-basis">{s.measure.basis}</td>
                  <td>{d ? (d.decision === '执行' ? '已执行' : `不执行：${d.reason ?? ''}`) : '未处理'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>容缺受理 / 绿色通道：{verdict.fastTrack.eligible ? '可适用' : '不适用'}（{verdict.fastTrack.reason}）</p>
      <div className="print-sign">
        <span>经办人：{clerk}</span>
        <span>复核人：</span>
        <span>日期：{formatMoment(result.at).slice(0, 10)}</span>
      </div>
    </div>
  );
}
