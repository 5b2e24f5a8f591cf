using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Import;

/// <summary>One reason a row (or the file, Row 0) is refused: row number, column, the value as read, the rule.</summary>
public sealed record ImportError(int Row, string Column, string? Value, string Reason)
{
    /// <summary>"第 12 行 登记日期：无法识别的日期“2026-13-01”" (the sheet is named by <see cref="ImportResult.Summary"/>).</summary>
    public string Message => Row > 0 ? $"第 {Row} 行 {Column}：{Reason}" : $"{Column}：{Reason}";
}

public sealed record ImportProgress(string Stage, int Done, int Total);

public sealed record ImportResult(
    string FileName, bool Succeeded, int Rows, int Added, int Updated, int Unchanged, int Repeats, int UnitsAdded,
    int HeaderRowNumber, IReadOnlyList<string> UnknownColumns, IReadOnlyList<ImportError> Errors, TimeSpan Elapsed)
{
    /// <summary>"ledger number → own number" of rows that updated a petition registered here through its 外部编号 (docs/rules.md §7).</summary>
    public IReadOnlyList<string> ByExternalNumber { get; init; } = [];

    /// <summary>Rows with a 答复日期 and no 答复结果: imported as 未注明 (a reply carries a result, docs/rules.md §4).</summary>
    public IReadOnlyList<string> UnspecifiedReplies { get; init; } = [];

    /// <summary>The sheet the ledger was read from.</summary>
    public string? SheetName { get; init; }

    /// <summary>The exporting system's 合计 / 总计 lines, read past (not petitions, not errors).</summary>
    public int SkippedTotalRows { get; init; }

    /// <summary>The column mapping profile the file was read with, if any.</summary>
    public string? ProfileName { get; init; }

    /// <summary>Repeats written by the in-memory join (ImportOptions.JoinThreadsInMemory), not through the tracked path: for tests and benchmarks.</summary>
    internal int JoinedInMemory { get; init; }

    public string Summary => Succeeded
        ? $"导入完成：共 {Rows} 行，新增 {Added} 件（其中重复件 {Repeats} 件），更新 {Updated} 件，未变 {Unchanged} 件" +
          (UnitsAdded > 0 ? $"，新增单位 {UnitsAdded} 个" : "") +
          (ByExternalNumber.Count > 0 ? $"；按外部编号匹配到本系统登记的信访件 {ByExternalNumber.Count} 件（{string.Join("、", ByExternalNumber.Take(10))}{(ByExternalNumber.Count > 10 ? " 等" : "")}），已更新该件，未新增" : "") +
          (UnspecifiedReplies.Count > 0 ? $"；{UnspecifiedReplies.Count} 件有答复日期而未填答复结果，已标注为“未注明”（{string.Join("、", UnspecifiedReplies.Take(10))}{(UnspecifiedReplies.Count > 10 ? " 等" : "")}），请补填" : "") +
          (SkippedTotalRows > 0 ? $"；已跳过合计行 {SkippedTotalRows} 行" : "") +
          (ProfileName is not null ? $"；按列对应方案“{ProfileName}”读取" : "") +
          (UnknownColumns.Count > 0 ? $"；未识别的列已忽略：{string.Join("、", UnknownColumns)}" : "")
        : $"导入未执行{(SheetName is null ? "" : $"（工作表“{SheetName}”）")}：发现 {Errors.Count} 处错误（涉及 {Errors.Where(e => e.Row > 0).Select(e => e.Row).Distinct().Count()} 行），整个文件未写入任何数据" +
          (UnknownColumns.Count > 0 ? $"；未识别的列：{string.Join("、", UnknownColumns)}" : "");
}
