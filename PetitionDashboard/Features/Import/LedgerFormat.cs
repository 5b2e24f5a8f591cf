using System.ComponentModel.DataAnnotations;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Import;

/// <summary>
/// Section "Import": the upload limits and the header alias table of docs/rules.md §7 (shown on the import page). The
/// workbook limits apply to every uploaded workbook (the ledger and the case-number list of a 集中交办 batch): a file over
/// one is refused with a message naming it, before its content is held in memory.
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>A larger upload is refused before it is read.</summary>
    [Range(1, 1024, ErrorMessage = "配置项 Import:MaxFileMegabytes 须在 {1} 到 {2} 之间")]
    public int MaxFileMegabytes { get; set; } = 20;

    /// <summary>The sum of the parts' unzipped sizes, declared and as really inflated (a zip bomb stops here).</summary>
    [Range(1, 2048, ErrorMessage = "配置项 Import:MaxUnzippedMegabytes 须在 {1} 到 {2} 之间")]
    public int MaxUnzippedMegabytes { get; set; } = 200;

    /// <summary>Rows of one sheet (title, header and blank rows included).</summary>
    [Range(1, 1_048_576, ErrorMessage = "配置项 Import:MaxRows 须在 {1} 到 {2} 之间（Excel 最多 1048576 行）")]
    public int MaxRows { get; set; } = 200_000;

    /// <summary>Columns of one row: a cell further right is refused (the ledger has about twenty).</summary>
    [Range(1, WorkbookLimits.ExcelColumns, ErrorMessage = "配置项 Import:MaxColumns 须在 {1} 到 {2} 之间（Excel 最多 16384 列）")]
    public int MaxColumns { get; set; } = 256;

    /// <summary>Entries of the shared string table.</summary>
    [Range(1, 100_000_000, ErrorMessage = "配置项 Import:MaxSharedStrings 须在 {1} 到 {2} 之间")]
    public int MaxSharedStrings { get; set; } = 2_000_000;

    /// <summary>Characters of the shared string table, all entries together.</summary>
    [Range(1, 500_000_000, ErrorMessage = "配置项 Import:MaxSharedStringCharacters 须在 {1} 到 {2} 之间")]
    public long MaxSharedStringCharacters { get; set; } = 40_000_000;

    /// <summary>Characters of one cell (Excel's own limit is 32,767).</summary>
    [Range(1, ExcelText.MaxCellLength, ErrorMessage = "配置项 Import:MaxCellCharacters 须在 {1} 到 {2} 之间（Excel 单元格最多 32767 个字符）")]
    public int MaxCellCharacters { get; set; } = ExcelText.MaxCellLength;

    /// <summary>Rows written per SaveChanges inside the import's one transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// New rows held in memory at once while writing (issue 12: memory flat in the file's size): they are read back from
    /// the first pass's spill file this many at a time, in date order.
    /// </summary>
    [Range(1, 1_048_576, ErrorMessage = "配置项 Import:RowsPerWritePass 须在 {1} 到 {2} 之间")]
    public int RowsPerWritePass { get; set; } = 10_000;

    /// <summary>
    /// A new row that joins a thread as a plain 重件 (no 包案 on the thread, no 初件 moved) is written with inserts and the
    /// thread kept in memory (issue 12). False: every join through ThreadLinkingService's tracked path, row by row — the
    /// reference the tests compare the fast path with; the rows written are the same either way.
    /// </summary>
    public bool JoinThreadsInMemory { get; set; } = true;

    /// <summary>
    /// SQLite only: new rows written per INSERT statement (issue 12: one statement per row was most of the write's cost; 400
    /// rather than 100 took ≈ 10 % off SQLite's CPU for a 50,000-row import's rows, measured in sqlite3; bench/README.md). 1: one prepared
    /// INSERT per row with the key returned by the database — the reference the tests compare with.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "配置项 Import:RowsPerInsert 须在 {1} 到 {2} 之间")]
    public int RowsPerInsert { get; set; } = 400;

    /// <summary>
    /// SQLite only: the page cache of the import's connection while it writes (0: SQLite's default, 2 MB). Default 16: with
    /// 2 MB the write kept spilling the pages of the petitions' twenty indexes into the WAL and reading them back (a fifth of a
    /// warm import's write was the kernel's pwrite and pread); 16 MB cut a warm 50,000-row import's CPU by ≈ 18 %, 32 MB
    /// no further, 64 MB cost 55–70 MB of peak (issue 12 goal 8: ≤ 300 MB at the largest allowed file; bench/README.md).
    /// </summary>
    [Range(0, 1024, ErrorMessage = "配置项 Import:SqlitePageCacheMegabytes 须在 {1} 到 {2} 之间")]
    public int SqlitePageCacheMegabytes { get; set; } = 16;

    /// <summary>Header text in other systems' ledgers → our column. Defaults are docs/rules.md §7's; appsettings may add more.</summary>
    public Dictionary<string, string> HeaderAliases { get; set; } = new(DefaultAliases);

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;

    public WorkbookLimits WorkbookLimits => new(
        MaxUnzippedMegabytes * 1024L * 1024L, MaxRows, MaxColumns, MaxSharedStrings, MaxSharedStringCharacters, MaxCellCharacters, Section);

    public static readonly IReadOnlyDictionary<string, string> DefaultAliases = new Dictionary<string, string>
    {
        ["信访件编号"] = LedgerColumns.CaseNumber,
        ["姓名"] = LedgerColumns.Petitioners,
        ["信访人姓名"] = LedgerColumns.Petitioners,
        ["证件号码"] = LedgerColumns.IdNumbers,
        ["手机号码"] = LedgerColumns.Phones,
        ["信访人数"] = LedgerColumns.PeopleCount,
        ["概况"] = LedgerColumns.Demand,
        ["反映内容"] = LedgerColumns.Demand,
        ["主要诉求"] = LedgerColumns.Demand,
        ["承办单位"] = LedgerColumns.Unit,
        ["办结时间"] = LedgerColumns.ClosedOn,
        ["关联件编号"] = LedgerColumns.OriginalCaseNumber,
        ["办理状态"] = LedgerColumns.Status,
        ["状态"] = LedgerColumns.Status,
    };
}

/// <summary>The columns of the ledger (docs/rules.md §7), by their header text.</summary>
public static class LedgerColumns
{
    public const string CaseNumber = "信访编号";
    public const string ReceivedOn = "登记日期";
    public const string Form = "信访形式";
    public const string Petitioners = "信访人";
    public const string IdNumbers = "身份证号";
    public const string Phones = "联系电话";
    public const string PeopleCount = "人数";
    public const string Locality = "问题属地";
    public const string Category = "内容分类";
    public const string Purpose = "信访目的";
    public const string Demand = "诉求摘要";
    public const string Unit = "责任单位";
    public const string AcceptedOn = "受理日期";
    public const string RepliedOn = "答复日期";
    public const string ClosedOn = "办结日期";
    public const string ReplyResult = "答复结果";
    public const string Evaluation = "评价";
    public const string SimpleProcedure = "简易办理";
    public const string ExtensionDays = "延期天数";
    public const string OriginalCaseNumber = "原信访编号";
    /// <summary>The state as the exporting system names it; it stands in for the step dates a ledger leaves out (docs/rules.md §7).</summary>
    public const string Status = "信访件状态";

    public static readonly IReadOnlyList<string> All =
    [
        CaseNumber, ReceivedOn, Form, Petitioners, IdNumbers, Phones, PeopleCount, Locality, Category, Purpose, Demand, Unit,
        AcceptedOn, RepliedOn, ClosedOn, ReplyResult, Evaluation, SimpleProcedure, ExtensionDays, OriginalCaseNumber, Status,
    ];

    /// <summary>
    /// Columns real exports add that carry nothing the ledger needs (a running number, the clerk who typed the row): read
    /// past without asking and without naming them as unknown.
    /// </summary>
    public static readonly IReadOnlySet<string> Ignored = new HashSet<string> { "序号", "编号序号", "登记人", "录入人", "经办人" };

    /// <summary>A row whose first text is one of these is the exporting system's total line, not a petition.</summary>
    public static readonly IReadOnlyList<string> TotalRowLabels = ["合计", "总计", "小计"];

    /// <summary>
    /// 信访件状态 values → the state the import gives the row when its step dates are missing (docs/rules.md §7). The import
    /// brings petitions in as 登记, 办理中, 已答复 or 办结 (§7); a system's finer steps fall into the one they are part of.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, PetitionState> Statuses = new Dictionary<string, PetitionState>
    {
        ["待受理"] = PetitionState.Registered, ["未受理"] = PetitionState.Registered, ["已登记"] = PetitionState.Registered,
        ["登记"] = PetitionState.Registered, ["待办"] = PetitionState.Registered, ["已转送"] = PetitionState.Registered,
        ["已交办"] = PetitionState.Registered,
        ["已受理"] = PetitionState.InHandling, ["受理"] = PetitionState.InHandling, ["办理中"] = PetitionState.InHandling,
        ["在办"] = PetitionState.InHandling, ["正在办理"] = PetitionState.InHandling,
        ["已答复"] = PetitionState.Replied, ["已回复"] = PetitionState.Replied, ["答复"] = PetitionState.Replied,
        ["已办结"] = PetitionState.Closed, ["办结"] = PetitionState.Closed, ["已结案"] = PetitionState.Closed,
    };

    public static readonly IReadOnlyList<string> Required = [CaseNumber, ReceivedOn, Form, Petitioners, PeopleCount, Locality, Category, Demand, Unit];

    public static readonly IReadOnlyList<string> Dates = [ReceivedOn, AcceptedOn, RepliedOn, ClosedOn];

    /// <summary>The 单位 sheet that may come with the ledger.</summary>
    public const string UnitSheet = "单位";
    public const string UnitName = "单位名称";
    public const string UnitKind = "类型";

    public static readonly IReadOnlyDictionary<string, PetitionForm> Forms =
        Enum.GetValues<PetitionForm>().ToDictionary(f => f.ToChinese());

    public static readonly IReadOnlyDictionary<string, PetitionPurpose> Purposes =
        Enum.GetValues<PetitionPurpose>().ToDictionary(f => f.ToChinese());

    public static readonly IReadOnlyDictionary<string, ReplyResult> ReplyResults =
        Enum.GetValues<ReplyResult>().ToDictionary(f => f.ToChinese());

    public static readonly IReadOnlyDictionary<string, Evaluation> Evaluations =
        Enum.GetValues<Evaluation>().ToDictionary(f => f.ToChinese());

    public static readonly IReadOnlyDictionary<string, UnitKind> UnitKinds =
        Enum.GetValues<UnitKind>().ToDictionary(f => f.ToChinese());

    /// <summary>Names, ID numbers and phones of several petitioners are separated by 、.</summary>
    public const char ListSeparator = '、';
}
