using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Infrastructure.Files;
using PetitionDashboard.Infrastructure.Progress;

namespace PetitionDashboard.Features.Import;

/// <summary>
/// The ledger import of docs/rules.md §7, for the import page and the <c>import</c> command alike: reads the file, checks every
/// row against every rule, and writes the whole file in one transaction or nothing at all. Upsert by 信访编号: a row equal
/// to what is stored changes nothing; a row that adds later steps (受理, 答复, 办结, 评价) advances the petition with events;
/// a row that contradicts recorded steps or people is refused. New petitions get their state from their dates through
/// the lifecycle (events by the import actor, deadlines from the DeadlineCalculator). Rows with 原信访编号 join that
/// petition's thread as repeats; other new rows go through the repeat detection (RepeatDetectionService) and join a thread
/// through ThreadLinkingService, as a registration does.
/// The rows the file adds are summarized by one "Import" audit entry; every change to a row that already existed — updated
/// petitions, the threads repeats join, 初件/重件 flags, a 包案 that relapses and its progress — is audited field by field,
/// in the import's transaction (AuditSuppression.BeginImport). 身份证号 and phones are stored through PersonalDataProtector.
/// </summary>
public sealed class LedgerImportService(
    IDbContextFactory<AppDbContext> dbs, AccessGuard guard, DeadlineCalculator deadlines, TimeProvider clock,
    IOptions<ImportOptions> options, AuditActorAccessor auditActor, RepeatDetectionService detection, ThreadLinkingService linking,
    PrivateTempFiles temps, PersonalDataProtector personalData)
{
    public const string AuditAction = AuditActions.Import;

    public ImportOptions Options => options.Value;

    /// <summary>
    /// Copies an upload into a private temp file (<see cref="PrivateTempFiles"/>: readable by the app's user only), refusing a file over the size limit, without the .xlsx extension, or
    /// whose content is not a zip package (an .xlsx is one). Returns the temp path; the caller deletes it.
    /// </summary>
    public async Task<string> ReceiveAsync(Stream upload, string fileName, long? declaredLength, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanImportLedger);
        var limit = Options.MaxFileBytes;
        if (!string.Equals(Path.GetExtension(fileName), ".xlsx", StringComparison.OrdinalIgnoreCase))
            throw new ActionRefusedException(
                $"只能导入 Excel 工作簿（.xlsx）：“{fileName}”不是 .xlsx 文件" +
                (fileName.EndsWith(".xls", StringComparison.OrdinalIgnoreCase) ? "。旧版 .xls 请先在 Excel 中另存为 .xlsx" : ""));
        if (declaredLength > limit) throw TooLarge(fileName, declaredLength.Value, limit);

        var path = temps.NewPath("ledger", ".xlsx");
        try
        {
            await using (var file = PrivateTempFiles.Create(path))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await ReadUploadAsync(upload, buffer, fileName, ct)) > 0)
                {
                    total += read;
                    if (total > limit) throw TooLarge(fileName, total, limit);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                if (total == 0) throw new ActionRefusedException($"“{fileName}”是空文件");
            }
            var signature = new byte[4];
            await using (var check = File.OpenRead(path))
                await check.ReadExactlyAsync(signature, ct);
            if (signature is not [0x50, 0x4B, 0x03, 0x04])
                throw new ActionRefusedException($"“{fileName}”的内容不是 Excel 工作簿（.xlsx 文件实为 zip 压缩包）；请用 Excel 打开后另存为 .xlsx");
            return path;
        }
        catch
        {
            PrivateTempFiles.Delete(path);
            throw;
        }
    }

    // A browser upload that breaks off (tab closed, connection lost) is the user's to retry, not a system fault.
    private static async Task<int> ReadUploadAsync(Stream upload, byte[] buffer, string fileName, CancellationToken ct)
    {
        try { return await upload.ReadAsync(buffer, ct); }
        catch (IOException) { throw new ActionRefusedException($"“{fileName}”上传中断，未导入任何数据，请重新选择文件"); }
    }

    private static ActionRefusedException TooLarge(string fileName, long size, long limit) => new(
        $"“{fileName}”超过大小上限：{(size / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture)} MB 已超过 {limit / 1024 / 1024} MB" +
        "（上限由 Import:MaxFileMegabytes 设置）");

    /// <summary>Imports a received file (see <see cref="ReceiveAsync"/>); the result lists every bad row when it refuses.</summary>
    /// <param name="reading">the sheet and the column mapping (a profile) to read the file with; default: the first sheet,
    /// the format's names and aliases only.</param>
    public async Task<ImportResult> ImportAsync(
        string path, string fileName, IProgress<ImportProgress>? progress = null, CancellationToken ct = default, LedgerReading? reading = null)
    {
        guard.Ensure(Policies.CanImportLedger);
        var started = clock.GetTimestamp();
        ImportResult Refuse(LedgerSheet? sheet, IReadOnlyList<ImportError> errors) => new(
            fileName, false, sheet?.Rows.Count ?? 0, 0, 0, 0, 0, 0, sheet?.HeaderRowNumber ?? 0, sheet?.UnknownColumns ?? [],
            [.. errors.OrderBy(e => e.Row).ThenBy(e => LedgerColumnOrder(e.Column))], clock.GetElapsedTime(started)) { SheetName = sheet?.SheetName };

        // 1. Read.
        progress?.Report(new ImportProgress("读取文件", 0, 0));
        LedgerSheet sheet;
        try
        {
            var read = progress is null ? null : new InlineProgress<int>(n => progress.Report(new ImportProgress("读取文件", n, 0)));
            sheet = await Task.Run(() => LedgerReader.Read(path, Options.HeaderAliases, Options.WorkbookLimits, read, ct, reading), ct);
        }
        catch (ActionRefusedException e) when (e.Kind != RefusalKind.NotAllowed)
        {
            // Over a limit or damaged (UploadedWorkbook): refused before its content was held, with the limit's name.
            return Refuse(null, [new ImportError(0, "文件", fileName, e.Message)]);
        }
        if (sheet.Errors.Count > 0) return Refuse(sheet, sheet.Errors);
        if (sheet.Rows.Count == 0)
            return Refuse(sheet, [new ImportError(sheet.HeaderRowNumber, "表头", null, "表头下没有任何数据行")]);

        // 2. Check every row against every rule.
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var errors = new List<ImportError>();
        var unitNames = (await db.Units.AsNoTracking().Select(u => u.Name).ToListAsync(ct)).ToHashSet();
        var newUnits = CheckUnits(sheet, unitNames, errors);
        var categories = (await db.Categories.AsNoTracking().Where(c => c.Active).Select(c => c.Name).ToListAsync(ct)).ToHashSet();
        if (categories.Count == 0) categories = [.. DomainText.Categories];
        var localities = (await db.Units.AsNoTracking().Where(u => u.Kind == PetitionFieldRules.LocalityKind).Select(u => u.Name).ToListAsync(ct))
            .Concat(newUnits.Where(u => u.Kind == PetitionFieldRules.LocalityKind).Select(u => u.Name)).ToHashSet();
        var context = new LedgerRuleContext(unitNames.Concat(newUnits.Select(u => u.Name)).ToHashSet(), categories, localities, clock.Today(),
            deadlines.Options.MaxExtensionDays);

        var rows = new List<ParsedLedgerRow>(sheet.Rows.Count);
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sheet.Rows.Count; i++)
        {
            var raw = sheet.Rows[i];
            if (LedgerRowRules.Check(raw, context, errors) is { } parsed)
            {
                if (firstRowOf.TryGetValue(parsed.CaseNumber, out var earlier))
                    errors.Add(new ImportError(raw.RowNumber, LedgerColumns.CaseNumber, parsed.CaseNumber, $"信访编号与第 {earlier} 行重复"));
                else
                {
                    firstRowOf[parsed.CaseNumber] = raw.RowNumber;
                    rows.Add(parsed);
                }
            }
            else if (raw[LedgerColumns.CaseNumber].Text.Trim() is { Length: > 0 } number) firstRowOf.TryAdd(number, raw.RowNumber);
            if ((i + 1) % 1000 == 0) progress?.Report(new ImportProgress("校验", i + 1, sheet.Rows.Count));
        }
        progress?.Report(new ImportProgress("校验", sheet.Rows.Count, sheet.Rows.Count));

        await CheckIdentitiesAsync(db, rows, errors, personalData, ct);
        var existing = await ExistingAsync(db, rows.Select(r => r.CaseNumber), personalData, ct);
        var byCase = rows.ToDictionary(r => r.CaseNumber, StringComparer.Ordinal);
        var originals = await ExistingAsync(db,
            rows.Select(r => r.OriginalCaseNumber).OfType<string>().Where(o => !byCase.ContainsKey(o) && !existing.ContainsKey(o)).Distinct(),
            personalData, ct);
        var depth = CheckOriginals(rows, byCase, existing, originals, firstRowOf, errors);

        var updates = new List<(ParsedLedgerRow Row, StoredPetition Stored)>();
        var inserts = new List<ParsedLedgerRow>();
        var unchanged = 0;
        foreach (var row in rows)
        {
            if (!existing.TryGetValue(row.CaseNumber, out var stored))
            {
                inserts.Add(row);
                continue;
            }
            var originalThread = row.OriginalCaseNumber is { } o
                ? existing.TryGetValue(o, out var oe) ? oe.ThreadId : originals.TryGetValue(o, out var oo) ? oo.ThreadId : (int?)null
                : null;
            if (Compare(row, stored, originalThread, errors)) unchanged++;
            else updates.Add((row, stored));
        }
        if (errors.Count > 0) return Refuse(sheet, errors);

        // 3. Write the whole file in one transaction.
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = $"{guard.ActorName}（台账导入）";
        var total = inserts.Count + updates.Count;
        progress?.Report(new ImportProgress("写入", 0, total));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (newUnits.Count > 0)
        {
            db.Units.AddRange(newUnits);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        var unitIds = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Name, u => u.Id, ct);

        var done = 0;
        foreach (var (row, stored) in updates)
        {
            await UpdateAsync(db, row, stored, unitIds, now, actor, errors, ct);
            progress?.Report(new ImportProgress("写入", ++done, total));
        }

        var written = await InsertAsync(db, inserts, depth, existing, originals, unitIds, now, actor,
            n => progress?.Report(new ImportProgress("写入", done + n, total)), errors, ct);
        if (errors.Count > 0) return Refuse(sheet, errors); // disposing the transaction rolls everything back

        var result = new ImportResult(fileName, true, sheet.Rows.Count, inserts.Count, updates.Count, unchanged, written.Repeats,
            newUnits.Count, sheet.HeaderRowNumber, sheet.UnknownColumns, [], clock.GetElapsedTime(started))
        {
            ByExternalNumber = [.. rows.Where(r => existing.TryGetValue(r.CaseNumber, out var s) && s.MatchedByExternalNumber(r.CaseNumber))
                .Select(r => $"{r.CaseNumber} → {existing[r.CaseNumber].CaseNumber}")],
            UnspecifiedReplies = [.. rows.Where(r => r.ReplyResult == ReplyResult.Unspecified).Select(r => r.CaseNumber)],
            SheetName = sheet.SheetName, SkippedTotalRows = sheet.SkippedTotalRows, ProfileName = reading?.ProfileName,
        };
        db.AuditEntries.Add(AuditEntry.Create(now, auditActor.Actor, AuditAction, AuditVocabulary.LedgerEntity, fileName,
            detail: $"导入台账“{fileName}”：{result.Summary}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        progress?.Report(new ImportProgress("完成", total, total));
        return result with { Elapsed = clock.GetElapsedTime(started) };
    }

    /// <summary>A ledger's 未注明 (a blank result) never overwrites a result the system already has.</summary>
    private static ReplyResult? MergedReplyResult(ReplyResult? stored, ReplyResult? fromLedger) =>
        fromLedger is null || (fromLedger == ReplyResult.Unspecified && stored is not null) ? stored : fromLedger;

    // ---- checks -----------------------------------------------------------------------------------------------------

    private static List<Unit> CheckUnits(LedgerSheet sheet, HashSet<string> known, List<ImportError> errors)
    {
        var added = new List<Unit>();
        foreach (var u in sheet.Units)
        {
            if (u.Name.Length == 0)
            {
                errors.Add(new ImportError(u.RowNumber, $"{LedgerColumns.UnitSheet}·{LedgerColumns.UnitName}", null, "单位名称不能为空"));
                continue;
            }
            if (u.Name.Length > FieldLengths.UnitName) errors.Add(new ImportError(u.RowNumber, $"{LedgerColumns.UnitSheet}·{LedgerColumns.UnitName}", u.Name, $"单位名称超过 {FieldLengths.UnitName} 个字符"));
            if (!LedgerColumns.UnitKinds.TryGetValue(u.Kind, out var kind))
            {
                errors.Add(new ImportError(u.RowNumber, $"{LedgerColumns.UnitSheet}·{LedgerColumns.UnitKind}", u.Kind,
                    $"“{u.Kind}”不是有效的单位类型，应为：{string.Join(" / ", LedgerColumns.UnitKinds.Keys)}"));
                continue;
            }
            if (known.Contains(u.Name) || added.Any(a => a.Name == u.Name)) continue;
            added.Add(new Unit { Name = u.Name, Kind = kind });
        }
        return added;
    }

    /// <summary>
    /// One 身份证号 is one person (docs/rules.md §6): the same number under another name — in an earlier row or in the
    /// database — is a ledger error, not a second person and not a silent rename.
    /// </summary>
    private static async Task CheckIdentitiesAsync(
        AppDbContext db, List<ParsedLedgerRow> rows, List<ImportError> errors, PersonalDataProtector personalData, CancellationToken ct)
    {
        var inFile = new Dictionary<string, (string Name, int Row)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var person in row.People.Where(p => p.IdNumber is not null && p.IdentityKey?.StartsWith("ID:", StringComparison.Ordinal) == true))
            {
                var name = PetitionerIdentity.NormalizeName(person.Name);
                if (!inFile.TryGetValue(person.IdNumber!, out var first)) inFile[person.IdNumber!] = (name, row.Row);
                else if (first.Name != name)
                    errors.Add(new ImportError(row.Row, LedgerColumns.IdNumbers, person.IdNumber,
                        $"身份证号“{person.IdNumber}”在第 {first.Row} 行属于“{first.Name}”，与本行姓名“{person.Name}”不一致"));
            }
        }
        foreach (var chunk in personalData.LookupKeys(inFile.Keys.Select(id => "ID:" + id)).Chunk(SqlLimits.KeysPerStatement))
        {
            var stored = (await db.Petitioners.AsNoTracking().Where(p => chunk.Contains(p.IdentityKey))
                .Select(p => new { p.IdNumber, p.Name }).ToListAsync(ct))
                .Select(p => new { IdNumber = personalData.Reveal(p.IdNumber), p.Name });
            foreach (var s in stored)
            {
                if (s.IdNumber is null || !inFile.TryGetValue(s.IdNumber, out var found)) continue;
                var (name, row) = found;
                if (PetitionerIdentity.NormalizeName(s.Name) != name)
                    errors.Add(new ImportError(row, LedgerColumns.IdNumbers, s.IdNumber,
                        $"身份证号“{s.IdNumber}”在系统中登记为“{s.Name}”，与本行姓名“{name}”不一致"));
            }
        }
    }

    /// <summary>
    /// 原信访编号 must name a petition in the database or in this file, registered no later than this row, without a cycle.
    /// Returns each in-file row's depth in its chain (0 for rows without an in-file original), so originals are written first.
    /// </summary>
    private static Dictionary<string, int> CheckOriginals(
        List<ParsedLedgerRow> rows, Dictionary<string, ParsedLedgerRow> byCase, Dictionary<string, StoredPetition> existing,
        Dictionary<string, StoredPetition> originals, Dictionary<string, int> rowsInFile, List<ImportError> errors)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.OriginalCaseNumber is not { } o) continue;
            DateOnly? originalReceived = byCase.TryGetValue(o, out var inFile) ? inFile.ReceivedOn
                : existing.TryGetValue(o, out var s1) ? s1.ReceivedOn
                : originals.TryGetValue(o, out var s2) ? s2.ReceivedOn : null;
            if (originalReceived is null)
            {
                errors.Add(new ImportError(row.Row, LedgerColumns.OriginalCaseNumber, o,
                    rowsInFile.TryGetValue(o, out var badRow)
                        ? $"原信访编号“{o}”所在的第 {badRow} 行有错误，无法关联"
                        : $"原信访编号“{o}”在系统和本台账中都不存在"));
                continue;
            }
            if (originalReceived > row.ReceivedOn)
                errors.Add(new ImportError(row.Row, LedgerColumns.OriginalCaseNumber, o,
                    $"原信访件“{o}”的登记日期 {originalReceived:yyyy-MM-dd} 晚于本件 {row.ReceivedOn:yyyy-MM-dd}：重复件只能关联更早的信访件"));
        }
        foreach (var row in rows)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { row.CaseNumber };
            var d = 0;
            for (var at = row; at.OriginalCaseNumber is { } o && byCase.TryGetValue(o, out var next); at = next)
            {
                if (!seen.Add(o))
                {
                    errors.Add(new ImportError(row.Row, LedgerColumns.OriginalCaseNumber, row.OriginalCaseNumber, "原信访编号构成循环引用"));
                    break;
                }
                d++;
            }
            depth[row.CaseNumber] = d;
        }
        return depth;
    }

    /// <summary>True when the stored petition already says what the row says; otherwise checks the row may update it.</summary>
    private static bool Compare(ParsedLedgerRow row, StoredPetition s, int? originalThread, List<ImportError> errors)
    {
        var before = errors.Count;
        void Conflict(string column, string? value, string reason) => errors.Add(new ImportError(row.Row, column, value, reason));
        static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd") ?? "（空）";

        if (row.ReceivedOn != s.ReceivedOn)
            Conflict(LedgerColumns.ReceivedOn, D(row.ReceivedOn), $"系统中该件的登记日期为 {D(s.ReceivedOn)}：已登记的信访件不能通过台账修改登记日期");
        var storedClosed = s.State == PetitionState.Closed ? s.FinishedOn : null;
        foreach (var (column, ledger, stored) in new[]
                 {
                     (LedgerColumns.AcceptedOn, row.AcceptedOn, s.AcceptedOn), (LedgerColumns.RepliedOn, row.RepliedOn, s.RepliedOn),
                     (LedgerColumns.ClosedOn, row.ClosedOn, storedClosed),
                 })
        {
            if (stored is not null && ledger != stored)
                Conflict(column, D(ledger), $"系统中已记录{column} {D(stored)}：已办理的环节不能通过台账改写");
        }
        if (s.State is not (PetitionState.Registered or PetitionState.Dispatched or PetitionState.Accepted or PetitionState.InHandling
                or PetitionState.Replied or PetitionState.Closed)
            && (row.AcceptedOn != s.AcceptedOn || row.RepliedOn != s.RepliedOn || row.ClosedOn != storedClosed))
            Conflict(LedgerColumns.CaseNumber, row.CaseNumber, $"系统中该件当前为“{s.State.ToChinese()}”，台账的受理、答复、办结日期不能再推进它");
        if (!SamePeople(row.People, s.People))
            Conflict(LedgerColumns.Petitioners, row.PetitionerNames,
                $"与系统中该件的信访人（{s.PetitionerNames}）不一致：台账导入不修改已登记的信访人，请在案件页处理");
        if (originalThread is { } t && (s.ThreadId != t || !s.IsRepeat))
            Conflict(LedgerColumns.OriginalCaseNumber, row.OriginalCaseNumber, "系统中该件不是这件的重复件：重复关联请在案件页调整");
        if (s.ExtensionDays != row.ExtensionDays && s.ExtensionDays > 0)
            Conflict(LedgerColumns.ExtensionDays, row.ExtensionDays.ToString(CultureInfo.InvariantCulture),
                $"系统中该件已延期 {s.ExtensionDays} 日：办理期限只能延长一次");
        if (errors.Count > before) return false;

        return row.Form == s.Form && row.Purpose == s.Purpose && row.PeopleCount == s.PeopleCount && row.Locality == s.Locality
            && row.Category == s.Category && row.Demand == s.Demand && row.UnitName == s.UnitName
            && row.AcceptedOn == s.AcceptedOn && row.RepliedOn == s.RepliedOn && row.ClosedOn == storedClosed
            && MergedReplyResult(s.ReplyResult, row.ReplyResult) == s.ReplyResult && row.Evaluation == s.Evaluation && row.SimpleProcedure == s.SimpleProcedure
            && row.ExtensionDays == s.ExtensionDays;
    }

    private static bool SamePeople(IReadOnlyList<LedgerPerson> ledger, IReadOnlyList<StoredPerson> stored)
    {
        if (ledger.Count != stored.Count) return false;
        static string Key(string name, string? id, string? phone) =>
            $"{PetitionerIdentity.NormalizeName(name)}|{ChineseIdNumber.Normalize(id)}|{PetitionerIdentity.PhoneDigits(phone)}";
        var a = ledger.Select(p => Key(p.Name, p.IdNumber, p.Phone)).Order(StringComparer.Ordinal);
        var b = stored.Select(p => Key(p.Name, p.IdNumber, p.Phone)).Order(StringComparer.Ordinal);
        return a.SequenceEqual(b);
    }

    // ---- writing ----------------------------------------------------------------------------------------------------

    /// <summary>Advances an existing petition to what its row says: attributes, then the later steps as events.</summary>
    private async Task UpdateAsync(
        AppDbContext db, ParsedLedgerRow row, StoredPetition stored, Dictionary<string, int> unitIds, DateTime now, string actor,
        List<ImportError> errors, CancellationToken ct)
    {
        var p = await db.Petitions.Include(x => x.Events).FirstAsync(x => x.Id == stored.Id, ct);
        p.Form = row.Form;
        p.Purpose = row.Purpose;
        p.PeopleCount = row.PeopleCount;
        p.Locality = row.Locality;
        p.Category = row.Category;
        p.Demand = row.Demand;
        var fromUnit = p.UnitId;
        p.UnitId = unitIds[row.UnitName];
        // A ledger that names another 责任单位: from the day of the import (the weeks before keep the old unit, §8).
        PetitionHistory.UnitChanged(p, fromUnit, BusinessTime.ToBusinessDate(now), now);
        p.SimpleProcedure = row.SimpleProcedure;
        p.ReplyResult = MergedReplyResult(p.ReplyResult, row.ReplyResult);
        try
        {
            if (row.ExtensionDays > 0 && p.ExtensionDays == 0) p.ExtensionDays = row.ExtensionDays;
            Advance(p, row, now, actor);
            if (row.Evaluation is { } ev && ev != p.Evaluation && row.RepliedOn is { } replied)
                PetitionLifecycle.Evaluate(p, ev, replied, now, actor, "台账导入");
            if (p.IsOpen) p.CurrentDueDate = deadlines.Current(p)?.Due;
        }
        catch (ActionRefusedException e)
        {
            errors.Add(new ImportError(row.Row, LedgerColumns.CaseNumber, row.CaseNumber, e.Message));
            return;
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>The steps from the petition's state to the row's, each a lifecycle transition dated by the ledger.</summary>
    private void Advance(Petition p, ParsedLedgerRow row, DateTime now, string actor)
    {
        if (row.AcceptedOn is { } accepted && p.State is PetitionState.Registered or PetitionState.Dispatched)
            PetitionLifecycle.Transition(p, PetitionState.Accepted, accepted, now, actor, "台账导入：受理", deadlines);
        if (row.AcceptedOn is { } handling && p.State == PetitionState.Accepted)
            PetitionLifecycle.Transition(p, PetitionState.InHandling, handling, now, actor, "台账导入：办理", deadlines);
        if (row.RepliedOn is { } replied && p.State == PetitionState.InHandling)
        {
            PetitionLifecycle.Transition(p, PetitionState.Replied, replied, now, actor, "台账导入：答复", deadlines);
            p.ReplyResult = row.ReplyResult;
        }
        if (row.ClosedOn is { } closed && p.State == PetitionState.Replied)
            PetitionLifecycle.Transition(p, PetitionState.Closed, closed, now, actor, "台账导入：办结", deadlines);
    }

    private sealed record Written(int Repeats);

    /// <summary>
    /// Writes the new rows inside the import's transaction, in the order they were received. A row joins a thread through
    /// the repeats feature (ThreadLinkingService.JoinNewAsync: thread figures, the RepeatLinked event, "再访原领导包") when it
    /// names a 原信访编号 or when RepeatDetectionService finds a same-person, same-matter earlier petition; that row goes
    /// through EF (its changes to rows that already existed are audited). Every other row starts its own thread and is
    /// written with prepared INSERTs outside the change tracker (issue 12: a 50,000-row ledger in seconds, memory flat in
    /// the file) — what EF would write, unaudited as EF's writes of imported rows are (the one "Import" entry stands for
    /// them). Each row is in the database before the next is looked at, so detection also sees earlier rows of the file.
    /// </summary>
    private async Task<Written> InsertAsync(
        AppDbContext db, List<ParsedLedgerRow> inserts, Dictionary<string, int> depth, Dictionary<string, StoredPetition> existing,
        Dictionary<string, StoredPetition> originals, Dictionary<string, int> unitIds, DateTime now, string actor, Action<int> progress,
        List<ImportError> errors, CancellationToken ct)
    {
        var ordered = inserts.OrderBy(r => r.ReceivedOn).ThenBy(r => depth.GetValueOrDefault(r.CaseNumber)).ThenBy(r => r.Row).ToList();

        // Petitioners already known by identity are reused (docs/rules.md §6); the keys are looked up in chunks. The map
        // grows with every petitioner this import adds, so it also answers "can detection find anything?" without a query.
        var people = new Dictionary<string, int>(StringComparer.Ordinal);
        // Stored keys are hashes: each found one is mapped back to the clear key of the file's rows.
        var keys = personalData.LookupMap(ordered.SelectMany(r => r.People).Select(p => p.IdentityKey).OfType<string>().Distinct());
        foreach (var chunk in keys.Keys.Chunk(SqlLimits.KeysPerStatement))
        {
            var found = await db.Petitioners.AsNoTracking().Where(p => chunk.Contains(p.IdentityKey))
                .OrderBy(p => p.Id).Select(p => new { p.IdentityKey, p.Id }).ToListAsync(ct);
            foreach (var f in found) people.TryAdd(keys[f.IdentityKey], f.Id);
        }

        var threadOf = new Dictionary<string, int>(StringComparer.Ordinal); // case number → thread id, for rows already saved
        foreach (var (k, v) in existing) threadOf[k] = v.ThreadId;
        foreach (var (k, v) in originals) threadOf[k] = v.ThreadId;
        var touchedThreads = new HashSet<int>();
        var written = 0;
        var repeats = 0;

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The import writes inside its own transaction.");
        using var insertPetitioner = BulkInsert<Petitioner>.Create(db, connection, transaction, generatedKey: true);
        using var insertThread = BulkInsert<PetitionThread>.Create(db, connection, transaction, generatedKey: true);
        using var insertPetition = BulkInsert<Petition>.Create(db, connection, transaction, generatedKey: true);
        using var insertLink = BulkInsert<PetitionPetitioner>.Create(db, connection, transaction);
        using var insertEvent = BulkInsert<PetitionEvent>.Create(db, connection, transaction, generatedKey: true);

        // The rows this file adds are summarized by the one "Import" entry; what it changes in rows that already existed (a
        // repeat turning an earlier 初件 into a 重件, a resolved 包案 relapsing, thread totals) is audited row by row, in this transaction.
        using var quiet = AuditSuppression.BeginImport();
        foreach (var batch in ordered.Chunk(Math.Max(1, Options.BatchSize)))
        {
            foreach (var row in batch)
            {
                ct.ThrowIfCancellationRequested();
                var p = new Petition
                {
                    CaseNumber = row.CaseNumber, Form = row.Form, Purpose = row.Purpose, PeopleCount = row.PeopleCount,
                    Locality = row.Locality, Category = row.Category, Demand = row.Demand, UnitId = unitIds[row.UnitName],
                    PetitionerNames = row.PetitionerNames, ReceivedOn = row.ReceivedOn, SimpleProcedure = row.SimpleProcedure,
                    ExtensionDays = row.ExtensionDays,
                };
                var rowKeys = row.People.Select(x => x.IdentityKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

                // Thread: the 原信访编号's, else the one detection finds (same person, same matter), else a new one. Detection
                // reads petitioners by these keys: when none is known (the map holds every stored one) it cannot find any.
                int? threadId = null;
                string? linkNote = null;
                if (row.OriginalCaseNumber is { } original)
                {
                    threadId = threadOf[original];
                    linkNote = $"台账导入：原信访编号 {original}";
                }
                else if (rowKeys.Any(people.ContainsKey))
                {
                    var candidates = await detection.FindCandidatesAsync(db,
                        new RepeatProbe(rowKeys, row.Locality, row.Category, row.Demand, null, row.ReceivedOn), ct);
                    if (candidates.FirstOrDefault(c => c.IsSameMatter) is { } match)
                    {
                        threadId = match.ThreadId;
                        linkNote = $"台账导入：重复信访自动识别（与 {match.CaseNumber} 诉求相似度 {match.SimilarityPercent}%）";
                    }
                }

                try
                {
                    PetitionLifecycle.Register(p, now, actor, deadlines);
                    Advance(p, row, now, actor);
                    if (row.Evaluation is { } ev && row.RepliedOn is { } replied)
                        PetitionLifecycle.Evaluate(p, ev, replied, now, actor, "台账导入");
                }
                catch (ActionRefusedException e)
                {
                    errors.Add(new ImportError(row.Row, LedgerColumns.CaseNumber, row.CaseNumber, e.Message));
                    continue;
                }

                if (threadId is { } t)
                {
                    // The repeats feature's one way onto a thread; it saves the petition itself.
                    var added = new Dictionary<string, Petitioner>(StringComparer.Ordinal);
                    foreach (var person in row.People)
                    {
                        if (person.IdentityKey is { } key && people.TryGetValue(key, out var id))
                        {
                            if (p.Petitioners.All(x => x.PetitionerId != id)) p.Petitioners.Add(new PetitionPetitioner { Petition = p, PetitionerId = id });
                        }
                        else if (person.IdentityKey is null || !added.ContainsKey(person.IdentityKey)) // the same person twice: one link
                        {
                            var created = personalData.NewPetitioner(person.Name, person.IdNumber, person.Phone, null, person.IdentityKey);
                            if (person.IdentityKey is { } k) added[k] = created;
                            p.Petitioners.Add(new PetitionPetitioner { Petition = p, Petitioner = created });
                        }
                    }
                    await linking.JoinNewAsync(db, p, t, linkNote!, actor, ct);
                    db.ChangeTracker.DetectChanges();
                    await db.SaveChangesAsync(ct);
                    foreach (var (key, entity) in added) people.TryAdd(key, entity.Id);
                    if (p.IsRepeat) repeats++;
                    db.ChangeTracker.Clear();
                }
                else
                {
                    var thread = new PetitionThread { PetitionCount = 1, FirstReceivedOn = row.ReceivedOn, LastReceivedOn = row.ReceivedOn };
                    insertThread.InsertReturningKey(thread);
                    p.ThreadId = thread.Id;
                    insertPetition.InsertReturningKey(p);
                    var linked = new HashSet<int>();
                    foreach (var person in row.People)
                    {
                        if (person.IdentityKey is not { } key || !people.TryGetValue(key, out var id))
                        {
                            var created = personalData.NewPetitioner(person.Name, person.IdNumber, person.Phone, null, person.IdentityKey);
                            insertPetitioner.InsertReturningKey(created);
                            id = created.Id;
                            if (person.IdentityKey is { } k) people[k] = id;
                        }
                        if (linked.Add(id)) insertLink.Insert(new PetitionPetitioner { PetitionId = p.Id, PetitionerId = id });
                    }
                    foreach (var e in p.Events)
                    {
                        e.PetitionId = p.Id;
                        insertEvent.InsertReturningKey(e);
                    }
                }
                threadOf[row.CaseNumber] = p.ThreadId;
                touchedThreads.Add(p.ThreadId);
            }
            written += batch.Length;
            progress(written);
        }

        // Thread aggregates (count, dates, first petition) from their petitions, in SQL; the new threads' first petition too.
        foreach (var chunk in touchedThreads.Chunk(SqlLimits.KeysPerStatement))
        {
            await db.Threads.Where(t => chunk.Contains(t.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.PetitionCount, t => t.Petitions.Count())
                .SetProperty(t => t.FirstReceivedOn, t => t.Petitions.Min(p => p.ReceivedOn))
                .SetProperty(t => t.LastReceivedOn, t => t.Petitions.Max(p => p.ReceivedOn))
                .SetProperty(t => t.FirstPetitionId, t => t.Petitions.Where(p => !p.IsRepeat)
                    .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefault()), ct);
        }
        return new Written(repeats);
    }

    // ---- stored petitions -------------------------------------------------------------------------------------------

    private sealed record StoredPerson(string Name, string? IdNumber, string? Phone);

    private sealed record StoredPetition(
        int Id, string CaseNumber, PetitionForm Form, PetitionPurpose? Purpose, int PeopleCount, string Locality, string Category,
        string Demand, string UnitName, string PetitionerNames, DateOnly ReceivedOn, DateOnly? AcceptedOn, DateOnly? RepliedOn,
        DateOnly? FinishedOn, PetitionState State, ReplyResult? ReplyResult, Evaluation? Evaluation, bool SimpleProcedure,
        int ExtensionDays, int ThreadId, bool IsRepeat, List<StoredPerson> People)
    {
        public string? ExternalNumber { get; init; }

        /// <summary>The ledger's 信访编号 found this petition through its 外部编号, not its own number.</summary>
        public bool MatchedByExternalNumber(string ledgerNumber) => ledgerNumber != CaseNumber && ledgerNumber == ExternalNumber;
    }

    private static async Task<Dictionary<string, StoredPetition>> ExistingAsync(
        AppDbContext db, IEnumerable<string> caseNumbers, PersonalDataProtector personalData, CancellationToken ct)
    {
        var result = new Dictionary<string, StoredPetition>(StringComparer.Ordinal);
        foreach (var chunk in caseNumbers.Distinct().Chunk(SqlLimits.KeysPerStatement))
        {
            // A petition registered here carries the national number as 外部编号: a ledger row with that 信访编号 is
            // that petition (docs/rules.md §7); its own number wins when a number is both.
            var found = await db.Petitions.AsNoTracking().Where(p => chunk.Contains(p.CaseNumber) || chunk.Contains(p.ExternalNumber!))
                .Select(p => new StoredPetition(
                    p.Id, p.CaseNumber, p.Form, p.Purpose, p.PeopleCount, p.Locality, p.Category, p.Demand, p.Unit.Name, p.PetitionerNames,
                    p.ReceivedOn, p.AcceptedOn, p.RepliedOn, p.FinishedOn, p.State, p.ReplyResult, p.Evaluation, p.SimpleProcedure,
                    p.ExtensionDays, p.ThreadId, p.IsRepeat,
                    p.Petitioners.Select(x => new StoredPerson(x.Petitioner.Name, x.Petitioner.IdNumber, x.Petitioner.Phone)).ToList())
                    { ExternalNumber = p.ExternalNumber })
                .ToListAsync(ct);
            // Compared with the ledger's clear numbers in memory (SamePeople), never written anywhere.
            found = [.. found.Select(f => f with
            {
                People = [.. f.People.Select(x => x with { IdNumber = personalData.Reveal(x.IdNumber), Phone = personalData.Reveal(x.Phone) })],
            })];
            foreach (var f in found.Where(f => f.ExternalNumber is { } e && chunk.Contains(e))) result[f.ExternalNumber!] = f;
            foreach (var f in found.Where(f => chunk.Contains(f.CaseNumber))) result[f.CaseNumber] = f;
        }
        return result;
    }

    private static int LedgerColumnOrder(string column)
    {
        var i = LedgerColumns.All.ToList().IndexOf(column);
        return i < 0 ? int.MaxValue : i;
    }
}
