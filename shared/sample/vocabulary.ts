/**
 * The fixed vocabulary of the sample data: list types (红黑名单 and 重点关注名单) with their
 * designating departments, legal bases and typical reasons; the districts of the sample city;
 * and the syllable tables fictional names are composed from.
 *
 * The sample city is 临沂 (seed 004, 临政发〔2018〕3号). Division codes are the public GB/T 2260
 * codes of its districts and counties; every subject, name and number built from them is fictional.
 */
import type { ListColour, Severity } from '../domain/schemas';

/** Who a list names: organisations (USCC), natural persons (ID number), or both. */
export type ListedKind = 'organisation' | 'person' | 'both';

export interface ListTypeSpec {
  /** ListRecord.listType and Measure.listTypes use exactly this name. */
  name: string;
  colour: ListColour;
  /** 认定部门 */
  deptName: string;
  listed: ListedKind;
  /** Share of records naming a person, for lists that name both. */
  personShare: number;
  /** 认定依据 */
  basis: string;
  /** 列入事由 for organisations */
  reasons: readonly string[];
  /** 列入事由 for persons (falls back to `reasons`). */
  personReasons?: readonly string[];
  /** Relative frequency among generated records. */
  weight: number;
  /** Black / watch lists: severity mix. Red lists carry 轻微: severity grades dishonesty only. */
  severities: readonly (readonly [Severity, number])[];
  /** Red lists: validity in months (fixed terms such as the annual 纳税信用 rating). */
  redMonths?: readonly [number, number];
  /** Share of records without an end date (长期有效), e.g. 失信被执行人 until the debt is paid. */
  openEndedShare: number;
}

export const LIST_TYPES: readonly ListTypeSpec[] = [
  // ------------------------------------------------------------ black
  {
    name: '失信被执行人',
    colour: 'black',
    deptName: '临沂市中级人民法院',
    listed: 'both',
    personShare: 0.55,
    basis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）第一条',
    reasons: [
      '有履行能力而拒不履行生效法律文书确定的义务',
      '以伪造证据、暴力、威胁等方法妨碍、抗拒执行',
      '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行',
      '违反财产报告制度',
      '违反限制消费令',
      '无正当理由拒不履行执行和解协议',
    ],
    weight: 30,
    severities: [
      ['严重', 6],
      ['一般', 4],
    ],
    openEndedShare: 0.1,
  },
  {
    name: '重大税收违法失信主体',
    colour: 'black',
    deptName: '国家税务总局临沂市税务局',
    listed: 'organisation',
    personShare: 0,
    basis: '《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）',
    reasons: [
      '虚开增值税专用发票',
      '偷税（逃避缴纳税款）数额较大且占应纳税额百分之十以上',
      '逃避追缴欠税',
      '骗取出口退税',
      '虚开普通发票金额400万元以上',
    ],
    weight: 8,
    severities: [
      ['严重', 8],
      ['一般', 2],
    ],
    openEndedShare: 0,
  },
  {
    name: '严重违法失信企业',
    colour: 'black',
    deptName: '临沂市市场监督管理局',
    listed: 'organisation',
    personShare: 0,
    basis: '《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
    reasons: [
      '生产经营不符合食品安全标准的食品，情节严重',
      '提交虚假材料取得市场主体登记，情节严重',
      '被列入经营异常名录届满3年仍未履行相关义务',
      '销售、使用不合格特种设备，情节严重',
    ],
    weight: 8,
    severities: [
      ['严重', 6],
      ['一般', 4],
    ],
    openEndedShare: 0,
  },
  {
    name: '安全生产失信主体',
    colour: 'black',
    deptName: '临沂市应急管理局',
    listed: 'organisation',
    personShare: 0,
    basis: '《安全生产严重失信主体名单管理办法》（应急管理部令第11号）',
    reasons: [
      '发生较大以上生产安全责任事故',
      '未依法取得安全生产许可擅自从事生产经营活动',
      '瞒报、谎报生产安全事故',
      '拒不执行安全监管监察指令',
    ],
    weight: 4,
    severities: [
      ['严重', 7],
      ['一般', 3],
    ],
    openEndedShare: 0,
  },
  {
    name: '环境保护失信企业',
    colour: 'black',
    deptName: '临沂市生态环境局',
    listed: 'organisation',
    personShare: 0,
    basis: '《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
    reasons: [
      '通过暗管、渗井等逃避监管的方式排放污染物',
      '篡改、伪造自动监测数据',
      '未依法取得排污许可证排放污染物',
      '超标排放污染物被责令限制生产后拒不改正',
    ],
    weight: 5,
    severities: [
      ['严重', 5],
      ['一般', 4],
      ['轻微', 1],
    ],
    openEndedShare: 0,
  },
  {
    name: '拖欠农民工工资失信主体',
    colour: 'black',
    deptName: '临沂市人力资源和社会保障局',
    listed: 'both',
    // The 办法 also lists the employer's 法定代表人 and responsible persons (落实到人).
    personShare: 0.3,
    basis: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）',
    reasons: [
      '克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准',
      '因拖欠农民工工资违法行为引发群体性事件、极端事件造成严重不良社会影响',
    ],
    personReasons: ['作为用人单位法定代表人，对严重拖欠农民工工资负有直接责任'],
    weight: 4,
    severities: [
      ['严重', 7],
      ['一般', 3],
    ],
    openEndedShare: 0,
  },
  {
    name: '建筑市场严重失信主体',
    colour: 'black',
    deptName: '临沂市住房和城乡建设局',
    listed: 'organisation',
    personShare: 0,
    basis: '《建筑市场信用管理暂行办法》（建市〔2017〕241号）',
    reasons: [
      '利用虚假材料、以欺骗手段取得企业资质',
      '发生转包、出借资质，受到行政处罚',
      '发生重大及以上工程质量安全事故',
      '拖欠工程款且拒不履行生效法律文书确定的义务',
    ],
    weight: 3,
    severities: [
      ['严重', 6],
      ['一般', 4],
    ],
    openEndedShare: 0,
  },
  // ------------------------------------------------------------ watch
  {
    name: '经营异常名录',
    colour: 'watch',
    deptName: '临沂市市场监督管理局',
    listed: 'organisation',
    personShare: 0,
    basis: '《企业信息公示暂行条例》（国务院令第654号）第十七条；《企业经营异常名录管理暂行办法》',
    reasons: [
      '未按照规定期限公示年度报告',
      '未在责令的期限内公示有关企业信息',
      '公示企业信息隐瞒真实情况、弄虚作假',
      '通过登记的住所或者经营场所无法联系',
    ],
    weight: 15,
    severities: [
      ['轻微', 6],
      ['一般', 4],
    ],
    openEndedShare: 0,
  },
  // ------------------------------------------------------------ red
  {
    name: '守信激励对象',
    colour: 'red',
    deptName: '临沂市发展和改革委员会',
    listed: 'both',
    personShare: 0.2,
    basis:
      '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）；临政发〔2018〕3号第二部分第6条',
    reasons: ['获评“厚道临商”诚信示范企业', '行业协会商会推荐的诚信会员', '连续三年无不良信用记录，经公示无异议认定为诚信典型'],
    personReasons: ['诚信道德模范', '优秀青年志愿者'],
    weight: 8,
    severities: [['轻微', 1]],
    redMonths: [24, 36],
    openEndedShare: 0,
  },
  {
    name: '纳税信用A级纳税人',
    colour: 'red',
    deptName: '国家税务总局临沂市税务局',
    listed: 'organisation',
    personShare: 0,
    basis: '《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）',
    reasons: ['年度纳税信用评价指标得分90分以上'],
    weight: 12,
    severities: [['轻微', 1]],
    redMonths: [12, 12],
    openEndedShare: 0,
  },
  {
    name: '海关高级认证企业',
    colour: 'red',
    deptName: '临沂海关',
    listed: 'organisation',
    personShare: 0,
    basis: '《中华人民共和国海关注册登记和备案企业信用管理办法》（海关总署令第251号）',
    reasons: ['经海关认证符合高级认证企业标准'],
    weight: 3,
    severities: [['轻微', 1]],
    // Certification stays until revoked (a removal date), so no end date.
    openEndedShare: 1,
  },
];

export const LIST_TYPE_NAMES: readonly string[] = LIST_TYPES.map((t) => t.name);

export function listTypeSpec(name: string): ListTypeSpec | undefined {
  return LIST_TYPES.find((t) => t.name === name);
}

// ---------------------------------------------------------------- places

export interface District {
  name: string;
  /** GB/T 2260 county-level division code */
  code: string;
}

export const CITY = '临沂市';
export const CITY_CODE = '371300';

export const DISTRICTS: readonly District[] = [
  { name: '兰山区', code: '371302' },
  { name: '罗庄区', code: '371311' },
  { name: '河东区', code: '371312' },
  { name: '沂南县', code: '371321' },
  { name: '郯城县', code: '371322' },
  { name: '沂水县', code: '371323' },
  { name: '兰陵县', code: '371324' },
  { name: '费县', code: '371325' },
  { name: '平邑县', code: '371326' },
  { name: '莒南县', code: '371327' },
  { name: '蒙阴县', code: '371328' },
  { name: '临沭县', code: '371329' },
];

/** Streets for fictional addresses (the numbers are random). */
export const STREETS: readonly string[] = [
  '沂蒙路', '解放路', '通达路', '北京路', '上海路', '金雀山路', '银雀山路', '孝河路',
  '滨河大道', '蒙山大道', '工业大道', '商城路', '兴华路', '双岭路', '育才路', '水田路',
];

// ---------------------------------------------------------------- organisation names

/** Trade-name syllables (字号): two are joined, e.g. 恒泰, 鑫源. */
export const TRADE_SYLLABLES: readonly string[] = [
  '恒', '泰', '鑫', '源', '瑞', '祥', '宏', '达', '盛', '华', '隆', '兴', '嘉', '和', '信', '诚',
  '远', '通', '丰', '汇', '博', '润', '德', '安', '正', '益', '聚', '福', '金', '海', '辰', '沂',
  '蒙', '鲁', '广', '众', '卓', '晟', '昊', '弘',
];

/** 行业表述 in organisation names. */
export const INDUSTRIES: readonly string[] = [
  '商贸', '建筑工程', '建材', '物流', '食品', '餐饮管理', '木业', '机械制造', '化工', '环保科技',
  '劳务派遣', '房地产开发', '农业科技', '电子商务', '五金机电', '医药', '包装材料', '纺织',
  '塑料制品', '信息技术', '建筑装饰工程', '石材', '汽车销售', '粮油',
];

/** 法人 company suffixes (repeats weight the common form). */
export const LEGAL_PERSON_SUFFIXES: readonly string[] = ['有限公司', '有限公司', '有限公司', '股份有限公司', '有限责任公司'];
/** 非法人组织: partnerships (branches are built from a company name plus 分公司). */
export const PARTNERSHIP_SUFFIXES: readonly string[] = ['投资合伙企业（有限合伙）', '企业管理咨询中心（有限合伙）', '股权投资基金合伙企业（有限合伙）'];
/** 个体工商户 names: 字号 + 行业 + 店 / 经营部 / 门市部. */
export const INDIVIDUAL_SUFFIXES: readonly string[] = ['店', '经营部', '门市部', '商行', '工作室'];

// ---------------------------------------------------------------- person names

export const SURNAMES: readonly string[] = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林',
  '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹',
  '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕', '苏', '卢', '蒋', '蔡', '贾', '丁', '魏', '薛',
  '叶', '阎', '颜', '庞', '孟', '葛', '厉', '展', '尹', '褚',
];

/** Given-name characters; one or two are combined. */
export const GIVEN_CHARS: readonly string[] = [
  '建', '国', '志', '明', '伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋',
  '勇', '艳', '杰', '娟', '涛', '超', '霞', '平', '刚', '桂', '兰', '文', '华', '红', '玉', '海',
  '波', '宁', '庆', '春', '雪', '晓', '立', '新', '鹏', '飞', '振', '东', '学', '友', '慧', '琳',
];
