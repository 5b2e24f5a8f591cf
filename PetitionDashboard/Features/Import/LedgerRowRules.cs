using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Import;

/// <summary>One petitioner of a ledger row.</summary>
public sealed record LedgerPerson(string Name, string? IdNumber, string? Phone)
{
    /// <summary>docs/rules.md §6 identity (valid ID, else name + phone); null for a bare name. Computed once: the import asks often.</summary>
    public string? IdentityKey { get; } = PetitionerIdentity.Key(Name, IdNumber, Phone);
}

/// <summary>A ledger row that passed the row rules, with typed values.</summary>
public sealed class ParsedLedgerRow
{
    public int Row { get; init; }
    public required string CaseNumber { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public PetitionForm Form { get; init; }
    public required IReadOnlyList<LedgerPerson> People { get; init; }
    public int PeopleCount { get; init; }
    public required string Locality { get; init; }
    public required string Category { get; init; }
    public PetitionPurpose? Purpose { get; init; }
    public required string Demand { get; init; }
    public required string UnitName { get; init; }
    public DateOnly? AcceptedOn { get; init; }
    public DateOnly? RepliedOn { get; init; }
    public DateOnly? ClosedOn { get; init; }
    public ReplyResult? ReplyResult { get; init; }
    public Evaluation? Evaluation { get; init; }
    public bool SimpleProcedure { get; init; }
    public int ExtensionDays { get; init; }
    public string? OriginalCaseNumber { get; init; }

    public string PetitionerNames => string.Join(LedgerColumns.ListSeparator, People.Select(p => p.Name));

    /// <summary>§7: 办结日期 → 办结; else 答复日期 → 已答复; else 受理日期 → 办理中; else 登记.</summary>
    public PetitionState State =>
        ClosedOn is not null ? PetitionState.Closed
        : RepliedOn is not null ? PetitionState.Replied
        : AcceptedOn is not null ? PetitionState.InHandling
        : PetitionState.Registered;
}

/// <summary>What the row rules check against: master data and limits.</summary>
public sealed record LedgerRuleContext(
    IReadOnlySet<string> Units, IReadOnlySet<string> Categories, IReadOnlySet<string> Localities, DateOnly Today, int MaxExtensionDays);

/// <summary>
/// Every rule of docs/rules.md §7 that one row can be checked against on its own. All failures of a row are reported, not
/// just the first, each naming the column and the rule. The field rules themselves are registration's
/// (<see cref="PetitionFieldRules"/>): a ledger is refused whatever registration refuses.
/// </summary>
public static class LedgerRowRules
{
    public static ParsedLedgerRow? Check(LedgerRow row, LedgerRuleContext context, List<ImportError> errors)
    {
        var before = errors.Count;
        void Fail(string column, string? value, string reason) => errors.Add(new ImportError(row.RowNumber, column, value, reason));

        string Text(string column, bool required, int maxLength)
        {
            var cell = row[column];
            var text = cell.Text.Trim();
            if (text.Length == 0)
            {
                if (required) Fail(column, null, "必填，不能为空");
                return "";
            }
            if (text.Length > maxLength) Fail(column, Clip(text), $"长度 {text.Length} 超过上限 {maxLength} 个字符");
            return text;
        }

        T? Choice<T>(string column, IReadOnlyDictionary<string, T> allowed, bool required) where T : struct
        {
            var text = Text(column, required, 50);
            if (text.Length == 0) return null;
            if (allowed.TryGetValue(text, out var value)) return value;
            Fail(column, text, $"“{text}”不是有效的{column}，应为：{string.Join(" / ", allowed.Keys)}");
            return null;
        }

        DateOnly? Date(string column, bool required)
        {
            var cell = row[column];
            if (cell.IsBlank)
            {
                if (required) Fail(column, null, "必填，不能为空");
                return null;
            }
            var date = LedgerValues.Date(cell, out var reason);
            if (date is null)
            {
                Fail(column, cell.Text, reason!);
                return null;
            }
            if (date > context.Today)
            {
                Fail(column, cell.Text, $"日期 {date:yyyy-MM-dd} 晚于今天（{context.Today:yyyy-MM-dd}）");
                return null;
            }
            return date;
        }

        var caseNumber = Text(LedgerColumns.CaseNumber, true, FieldLengths.CaseNumber);
        var received = Date(LedgerColumns.ReceivedOn, true);
        var form = Choice(LedgerColumns.Form, LedgerColumns.Forms, true);

        // 信访人, 身份证号 (one per name), 联系电话 (one per name, or one for the first).
        var names = LedgerValues.List(Text(LedgerColumns.Petitioners, true, FieldLengths.PetitionerNames));
        if (names.Any(n => n.Length == 0)) Fail(LedgerColumns.Petitioners, row[LedgerColumns.Petitioners].Text, "姓名之间只用一个“、”分隔，不能有空的姓名");
        foreach (var n in names.Where(n => n.Length > 0))
            if (PetitionFieldRules.PersonName(n) is { } nameRule) Fail(LedgerColumns.Petitioners, Clip(n), $"姓名“{Clip(n)}”{nameRule}");
        var ids = LedgerValues.List(Text(LedgerColumns.IdNumbers, false, 500));
        if (ids.Length > 0 && ids.Length != names.Length)
            Fail(LedgerColumns.IdNumbers, row[LedgerColumns.IdNumbers].Text,
                $"身份证号有 {ids.Length} 个、信访人有 {names.Length} 人：须一人一个，以“、”分隔，没有的留空");
        else
        {
            foreach (var id in ids.Where(i => i.Length > 0))
                if (PetitionFieldRules.IdNumber(id) is { } idRule) Fail(LedgerColumns.IdNumbers, id, $"身份证号“{id}”无效：{idRule}（GB 11643）");
        }
        var phones = LedgerValues.List(Text(LedgerColumns.Phones, false, 500));
        if (phones.Length > 1 && phones.Length != names.Length)
            Fail(LedgerColumns.Phones, row[LedgerColumns.Phones].Text, $"联系电话有 {phones.Length} 个、信访人有 {names.Length} 人：须只填一个，或一人一个");
        else
        {
            foreach (var p in phones.Where(p => p.Length > 0))
                if (PetitionFieldRules.Phone(p) is { } phoneRule) Fail(LedgerColumns.Phones, Clip(p), $"联系电话“{Clip(p)}”无效：{phoneRule}");
        }
        var people = names.Select((n, i) => new LedgerPerson(
            n,
            i < ids.Length && ids[i].Length > 0 ? ChineseIdNumber.Normalize(ids[i]) : null,
            phones.Length == names.Length ? NullIfEmpty(phones[i]) : i == 0 && phones.Length == 1 ? NullIfEmpty(phones[0]) : null)).ToList();
        foreach (var dup in people.Where(p => p.IdentityKey is not null).GroupBy(p => p.IdentityKey).Where(g => g.Count() > 1))
            Fail(LedgerColumns.Petitioners, string.Join("、", dup.Select(p => p.Name)), "同一信访人（身份证号或姓名+电话相同）在本行出现了两次");

        int? peopleCount = null;
        var countCell = row[LedgerColumns.PeopleCount];
        if (countCell.IsBlank) Fail(LedgerColumns.PeopleCount, null, "必填，不能为空");
        else if (LedgerValues.Integer(countCell, out var countReason) is not { } count) Fail(LedgerColumns.PeopleCount, countCell.Text, countReason!);
        else if (count < 1) Fail(LedgerColumns.PeopleCount, countCell.Text, "人数须为不小于 1 的整数");
        else peopleCount = count;

        var locality = Text(LedgerColumns.Locality, true, 50);
        if (locality.Length > 0 && PetitionFieldRules.Locality(locality, context.Localities) is { } localityRule)
            Fail(LedgerColumns.Locality, locality, localityRule);
        var category = Text(LedgerColumns.Category, true, 50);
        if (category.Length > 0 && PetitionFieldRules.Category(category, context.Categories) is { } categoryRule)
            Fail(LedgerColumns.Category, category, categoryRule);
        var purpose = Choice(LedgerColumns.Purpose, LedgerColumns.Purposes, false);
        var demand = Text(LedgerColumns.Demand, true, FieldLengths.PetitionDemand);
        var unit = Text(LedgerColumns.Unit, true, FieldLengths.UnitName);
        if (unit.Length > 0 && !context.Units.Contains(unit))
            Fail(LedgerColumns.Unit, unit, $"“{unit}”不是系统中的单位（请管理员先添加，或在台账的“单位”工作表中列出）");

        var accepted = Date(LedgerColumns.AcceptedOn, false);
        var replied = Date(LedgerColumns.RepliedOn, false);
        var closed = Date(LedgerColumns.ClosedOn, false);
        StatusDates(ref accepted, ref replied, ref closed);
        void NotBefore(string column, DateOnly? date, string earlierColumn, DateOnly? earlier)
        {
            if (date is { } d && earlier is { } e && d < e)
                Fail(column, d.ToString("yyyy-MM-dd"), $"{column} {d:yyyy-MM-dd} 早于{earlierColumn} {e:yyyy-MM-dd}");
        }
        NotBefore(LedgerColumns.AcceptedOn, accepted, LedgerColumns.ReceivedOn, received);
        NotBefore(LedgerColumns.RepliedOn, replied, LedgerColumns.ReceivedOn, received);
        NotBefore(LedgerColumns.RepliedOn, replied, LedgerColumns.AcceptedOn, accepted);
        NotBefore(LedgerColumns.ClosedOn, closed, LedgerColumns.ReceivedOn, received);
        NotBefore(LedgerColumns.ClosedOn, closed, LedgerColumns.AcceptedOn, accepted);
        NotBefore(LedgerColumns.ClosedOn, closed, LedgerColumns.RepliedOn, replied);
        // The state follows from the dates along 受理 → 办理中 → 已答复 → 办结 (§4): no step without the one before it.
        if (replied is not null && accepted is null && row[LedgerColumns.AcceptedOn].IsBlank)
            Fail(LedgerColumns.RepliedOn, row[LedgerColumns.RepliedOn].Text, "有答复日期时须填写受理日期（先受理、后答复）");
        if (closed is not null && replied is null && row[LedgerColumns.RepliedOn].IsBlank)
            Fail(LedgerColumns.ClosedOn, row[LedgerColumns.ClosedOn].Text, "有办结日期时须填写答复日期（答复后才能办结）");

        var result = Choice(LedgerColumns.ReplyResult, LedgerColumns.ReplyResults, false);
        if (result is not null && replied is null && row[LedgerColumns.RepliedOn].IsBlank)
            Fail(LedgerColumns.ReplyResult, row[LedgerColumns.ReplyResult].Text, "没有答复日期时不能填写答复结果");
        // A reply carries a result (§4); a ledger that leaves it blank gets 未注明, counted in the import's summary.
        if (result is null && replied is not null) result = ReplyResult.Unspecified;
        var evaluation = Choice(LedgerColumns.Evaluation, LedgerColumns.Evaluations, false);
        if (evaluation is not null && replied is null && row[LedgerColumns.RepliedOn].IsBlank)
            Fail(LedgerColumns.Evaluation, row[LedgerColumns.Evaluation].Text, "只有已答复的信访件才能评价：请填写答复日期");

        var simpleText = Text(LedgerColumns.SimpleProcedure, false, 10);
        var simple = false;
        if (simpleText.Length > 0)
        {
            if (simpleText == "是") simple = true;
            else if (simpleText != "否") Fail(LedgerColumns.SimpleProcedure, simpleText, $"“{simpleText}”无效，应为：是 / 否");
        }

        var extension = 0;
        var extCell = row[LedgerColumns.ExtensionDays];
        if (!extCell.IsBlank)
        {
            if (LedgerValues.Integer(extCell, out var extReason) is not { } ext) Fail(LedgerColumns.ExtensionDays, extCell.Text, extReason!);
            else if (ext < 0 || ext > context.MaxExtensionDays)
                Fail(LedgerColumns.ExtensionDays, extCell.Text, $"延期天数须在 0 至 {context.MaxExtensionDays} 之间");
            else if (ext > 0 && simple) Fail(LedgerColumns.ExtensionDays, extCell.Text, "简易办理的信访件不能延期");
            else if (ext > 0 && accepted is null && row[LedgerColumns.AcceptedOn].IsBlank) Fail(LedgerColumns.ExtensionDays, extCell.Text, "延期须在受理之后：请填写受理日期");
            else extension = ext;
        }

        // 信访件状态 (docs/rules.md §7): a ledger without step dates says how far the petition got. A step the state has
        // reached and whose date is missing takes the nearest date the row has: 受理 ← 登记日期, 答复 ← 办结日期 (else 受理),
        // 办结 ← 答复日期. Dates the row does have win; a state behind its dates is a contradiction, refused.
        void StatusDates(ref DateOnly? acceptedOn, ref DateOnly? repliedOn, ref DateOnly? closedOn)
        {
            var statusText = LedgerReader.Normalize(Text(LedgerColumns.Status, false, 20));
            if (statusText.Length == 0) return;
            if (!LedgerColumns.Statuses.TryGetValue(statusText, out var status))
            {
                Fail(LedgerColumns.Status, statusText,
                    $"“{statusText}”不是可识别的信访件状态，应为：{string.Join(" / ", LedgerColumns.Statuses.Keys)}");
                return;
            }
            var byDates = closedOn is not null ? PetitionState.Closed : repliedOn is not null ? PetitionState.Replied
                : acceptedOn is not null ? PetitionState.InHandling : PetitionState.Registered;
            if (Rank(byDates) > Rank(status))
            {
                Fail(LedgerColumns.Status, statusText,
                    $"信访件状态“{statusText}”（{status.ToChinese()}）与本行日期不符：按已填的日期应为“{byDates.ToChinese()}”");
                return;
            }
            if (Rank(status) >= Rank(PetitionState.InHandling) && acceptedOn is null && row[LedgerColumns.AcceptedOn].IsBlank) acceptedOn = received;
            if (Rank(status) >= Rank(PetitionState.Replied) && repliedOn is null && row[LedgerColumns.RepliedOn].IsBlank) repliedOn = closedOn ?? acceptedOn;
            if (status == PetitionState.Closed && closedOn is null && row[LedgerColumns.ClosedOn].IsBlank) closedOn = repliedOn;
        }

        var original = Text(LedgerColumns.OriginalCaseNumber, false, FieldLengths.CaseNumber);
        if (original.Length > 0 && original == caseNumber)
            Fail(LedgerColumns.OriginalCaseNumber, original, "原信访编号不能是本件自己的编号");

        if (errors.Count > before) return null;
        return new ParsedLedgerRow
        {
            Row = row.RowNumber, CaseNumber = caseNumber, ReceivedOn = received!.Value, Form = form!.Value, People = people,
            PeopleCount = peopleCount!.Value, Locality = locality, Category = category, Purpose = purpose, Demand = demand, UnitName = unit,
            AcceptedOn = accepted, RepliedOn = replied, ClosedOn = closed, ReplyResult = result, Evaluation = evaluation,
            SimpleProcedure = simple, ExtensionDays = extension, OriginalCaseNumber = original.Length > 0 ? original : null,
        };
    }

    /// <summary>How far along 登记 → 办理中 → 已答复 → 办结 a state is.</summary>
    private static int Rank(PetitionState state) => state switch
    {
        PetitionState.Closed => 3,
        PetitionState.Replied => 2,
        PetitionState.InHandling => 1,
        _ => 0,
    };

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
