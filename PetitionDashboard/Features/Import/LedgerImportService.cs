using System.Globalization;
using System.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Infrastructure.Excel;
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
    PrivateTempFiles temps, PersonalDataProtector personalData, ImportCheckpoints checkpoints)
{
    public const string AuditAction = AuditActions.Import;

    public ImportOptions Options => options.Value;

    // For the new-row writer (a nested class does not see the primary constructor's parameters).
    private DeadlineCalculator Deadlines => deadlines;
    private PersonalDataProtector PersonalData => personalData;
    private RepeatDetectionService Detection => detection;
    private ThreadLinkingService Linking => linking;
    private AuditActorAccessor AuditActor => auditActor;
    private TimeProvider Clock => clock;
    private IDbContextFactory<AppDbContext> Dbs => dbs;

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
        // The file is read synchronously (XmlReader); off the caller's thread, so a page's circuit is never blocked.
        return await Task.Run(() => ImportCoreAsync(path, fileName, progress, reading, ct), ct);
    }

    /// <summary>
    /// One streaming pass over the file, then the write (issue 12: memory flat in the file's size). The pass reads every row,
    /// checks it against every rule and against the database in batches, keeps compact facts (case number, dates, 原信访编号,
    /// what to do with it) and the errors in memory and the parsed row in a spill file (<see cref="ParsedRowSpill"/>): the
    /// whole file is refused, every bad row listed, before anything is written. The write reads the parsed rows back from the
    /// spill and writes them in one transaction: updates in file order, then the new rows in date order,
    /// <see cref="ImportOptions.RowsPerWritePass"/> held at a time.
    /// </summary>
    private async Task<ImportResult> ImportCoreAsync(
        string path, string fileName, IProgress<ImportProgress>? progress, LedgerReading? reading, CancellationToken ct)
    {
        var db = await dbs.CreateDbContextAsync(ct);
        var write = new WriteSession();
        try
        {
            return await ImportIntoAsync(db, write, path, fileName, progress, reading, ct);
        }
        finally
        {
            // After a commit on SQLite the WAL is copied into the database file after the result, not before it (see
            // SqliteWriteSettings); the connection's settings go back and the context goes only then.
            if (write is { Committed: true, Settings: { LeavesCheckpoint: true } settings })
                checkpoints.Run(async () =>
                {
                    try { await settings.CheckpointAsync(); }
                    finally { await write.CloseAsync(db); }
                });
            else await write.CloseAsync(db);
        }
    }

    /// <summary>The import's connection settings while it writes, and whether it committed.</summary>
    private sealed class WriteSession
    {
        public SqliteWriteSettings? Settings { get; set; }

        public bool Committed { get; set; }

        public async Task CloseAsync(AppDbContext db)
        {
            try
            {
                if (Settings is not null) await Settings.DisposeAsync();
            }
            finally
            {
                await db.DisposeAsync();
            }
        }
    }

    private async Task<ImportResult> ImportIntoAsync(AppDbContext db, WriteSession write,
        string path, string fileName, IProgress<ImportProgress>? progress, LedgerReading? reading, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        ImportResult Refuse(LedgerSheet? sheet, IReadOnlyList<ImportError> errors) => new(
            fileName, false, sheet?.RowCount ?? 0, 0, 0, 0, 0, 0, sheet?.HeaderRowNumber ?? 0, sheet?.UnknownColumns ?? [],
            [.. errors.OrderBy(e => e.Row).ThenBy(e => LedgerColumnOrder(e.Column))], clock.GetElapsedTime(started)) { SheetName = sheet?.SheetName };

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var unitNames = (await db.Units.AsNoTracking().Select(u => u.Name).ToListAsync(ct)).ToHashSet();
        var categories = (await db.Categories.AsNoTracking().Where(c => c.Active).Select(c => c.Name).ToListAsync(ct)).ToHashSet();
        if (categories.Count == 0) categories = [.. DomainText.Categories];
        var storedLocalities = await db.Units.AsNoTracking().Where(u => u.Kind == PetitionFieldRules.LocalityKind).Select(u => u.Name).ToListAsync(ct);

        // 1. Read and check every row (the errors of each kind in the order they were always listed in).
        progress?.Report(new ImportProgress("读取文件", 0, 0));
        var errors = new List<ImportError>();
        var identityErrors = new List<ImportError>();
        var compareErrors = new List<ImportError>();
        var plan = new ImportPlan();
        LedgerSheet sheet;
        List<Unit> newUnits;
        LedgerRuleContext context;
        // What pass 1 parsed, for the write (the workbook is read once).
        using var spill = ParsedRowSpill.Create(temps);
        try
        {
            using var stream = LedgerReader.Open(path, Options.HeaderAliases, Options.WorkbookLimits, null, ct, reading);
            sheet = stream.Sheet;
            // The 单位 sheet first (rows may name the units it adds); its errors keep their place after the ledger's own.
            stream.ReadUnits();
            var unitSheetErrors = sheet.Errors.ToList();
            sheet.Errors.Clear();
            newUnits = CheckUnits(sheet, unitNames, errors);
            context = new LedgerRuleContext(unitNames.Concat(newUnits.Select(u => u.Name)).ToHashSet(), categories,
                storedLocalities.Concat(newUnits.Where(u => u.Kind == PetitionFieldRules.LocalityKind).Select(u => u.Name)).ToHashSet(),
                clock.Today(), deadlines.Options.MaxExtensionDays);

            var batch = new List<ParsedLedgerRow>(Math.Max(1, Options.BatchSize));
            var rowsRead = 0;
            // The workbook's XML is parsed on a thread of its own, a few hundred rows ahead of the checks (issue 12 goal 8).
            await foreach (var raw in BackgroundReader.ReadAhead(stream.Rows, RowsReadAhead, batches: 4, ct))
            {
                rowsRead++;
                if (LedgerRowRules.Check(raw, context, errors) is { } parsed)
                {
                    if (plan.FirstRowOf.TryGetValue(parsed.CaseNumber, out var earlier))
                        errors.Add(new ImportError(raw.RowNumber, LedgerColumns.CaseNumber, parsed.CaseNumber, $"信访编号与第 {earlier} 行重复"));
                    else
                    {
                        plan.FirstRowOf[parsed.CaseNumber] = raw.RowNumber;
                        plan.Add(parsed, spill.Add(parsed));
                        CheckIdentityInFile(parsed, plan.IdNumbers, identityErrors);
                        batch.Add(parsed);
                        if (batch.Count >= Options.BatchSize)
                        {
                            await ClassifyAsync(db, batch, plan, compareErrors, personalData, ct);
                            batch.Clear();
                        }
                    }
                }
                else if (raw[LedgerColumns.CaseNumber].Text.Trim() is { Length: > 0 } number) plan.FirstRowOf.TryAdd(number, raw.RowNumber);
                if (rowsRead % 1000 == 0) progress?.Report(new ImportProgress("读取并校验", rowsRead, 0));
            }
            await ClassifyAsync(db, batch, plan, compareErrors, personalData, ct);
            sheet.Errors.AddRange(unitSheetErrors);
        }
        catch (ActionRefusedException e) when (e.Kind != RefusalKind.NotAllowed)
        {
            // Over a limit or damaged (UploadedWorkbook): refused with the limit's name, nothing written.
            return Refuse(null, [new ImportError(0, "文件", fileName, e.Message)]);
        }
        progress?.Report(new ImportProgress("读取并校验", sheet.RowCount, 0));
        if (sheet.Errors.Count > 0) return Refuse(sheet, sheet.Errors);
        if (sheet.RowCount == 0)
            return Refuse(sheet, [new ImportError(sheet.HeaderRowNumber, "表头", null, "表头下没有任何数据行")]);

        errors.AddRange(identityErrors);
        await CheckIdentitiesAsync(db, plan.IdNumbers, errors, personalData, ct);
        var depth = CheckOriginals(plan, errors);
        errors.AddRange(compareErrors);
        if (errors.Count > 0) return Refuse(sheet, errors);
        plan.ChecksDone();

        // 2. Write the whole file in one transaction, from the rows pass 1 parsed.
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = $"{guard.ActorName}（台账导入）";
        var total = plan.Inserts.Count + plan.Updates.Count;
        progress?.Report(new ImportProgress("写入", 0, total));
        write.Settings = await SqliteWriteSettings.ApplyAsync(db, Options.SqlitePageCacheMegabytes, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (newUnits.Count > 0)
        {
            db.Units.AddRange(newUnits);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        var unitIds = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Name, u => u.Id, ct);

        // New rows in the order they were received (an in-file 原信访编号 before its repeats), a window at a time.
        var ordered = plan.Inserts.OrderBy(r => r.ReceivedOn).ThenBy(r => depth.GetValueOrDefault(r.CaseNumber)).ThenBy(r => r.Row).ToList();
        var window = Math.Max(1, Options.RowsPerWritePass);
        var inserted = 0;
        // The row as pass 1 parsed it, with the plan's own strings for its numbers (the writer keeps some of them).
        ParsedLedgerRow Parsed(RowFacts facts) => spill.Read(facts.Spilled, facts.CaseNumber, facts.OriginalCaseNumber);
        var writer = new NewRowWriter(this, db, plan.ThreadOf, plan.NamedAsOriginal, unitIds, now, actor, errors);
        var updates = new UpdateBatch(this, db, unitIds, now, actor, errors, n => progress?.Report(new ImportProgress("写入", n, total)));
        try
        {
            // Updates first, in file order; then the new rows.
            foreach (var facts in plan.Rows)
                if (plan.Updates.TryGetValue(facts.Row, out var storedId)) await updates.AddAsync(Parsed(facts), storedId, ct);
            await updates.FlushAsync(ct);
            var done = updates.Done;
            foreach (var pass in ordered.Chunk(window))
            {
                await writer.WriteAsync([.. pass.Select(Parsed)],
                    n => progress?.Report(new ImportProgress("写入", done + inserted + n, total)), ct);
                inserted += pass.Length;
                CompactBetweenWritePasses(pass.Length);
            }
            await writer.FinishAsync(ct);
        }
        finally
        {
            writer.Dispose();
        }
        if (errors.Count > 0) return Refuse(sheet, errors); // disposing the transaction rolls everything back

        var result = new ImportResult(fileName, true, sheet.RowCount, plan.Inserts.Count, plan.Updates.Count, plan.Unchanged, writer.Repeats,
            newUnits.Count, sheet.HeaderRowNumber, sheet.UnknownColumns, [], clock.GetElapsedTime(started))
        {
            ByExternalNumber = plan.ByExternalNumber, UnspecifiedReplies = plan.UnspecifiedReplies,
            SheetName = sheet.SheetName, SkippedTotalRows = sheet.SkippedTotalRows, ProfileName = reading?.ProfileName,
            JoinedInMemory = writer.JoinedInMemory,
        };
        db.AuditEntries.Add(AuditEntry.Create(now, auditActor.Actor, AuditAction, AuditVocabulary.LedgerEntity, fileName,
            detail: $"导入台账“{fileName}”：{result.Summary}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        write.Committed = true;
        progress?.Report(new ImportProgress("完成", total, total));
        return result with { Elapsed = clock.GetElapsedTime(started) };
    }

    /// <summary>
    /// The import command's peak memory (issue 12: ≤ 300 MB for any allowed file). What the write keeps alive is small (a
    /// heap dump at row 78,000 of a 130,000-row file: 54 MB live), but each window of rows leaves its garbage, and the GC
    /// of a short process (workstation GC, <see cref="CommandLine.CommandRuntime"/>) grew its heap to ≈ 140 MB around it
    /// before a background collection caught up — the process's peak (313 MB at 130,000 rows). A blocking, compacting
    /// collection after each window (one per <see cref="ImportOptions.RowsPerWritePass"/> rows: 13 for the largest file)
    /// gives the next window the same memory back: 251 MB, at no measurable CPU cost (bench/README.md, import.sh). Not
    /// under server GC, i.e. in the web app: there a blocking full collection would pause every leader's circuit for an
    /// upload, and the server's heap is sized for all of them, not for one import.
    /// </summary>
    private static void CompactBetweenWritePasses(int rowsWritten)
    {
        // Only after a large window: a small file's garbage is small, and a blocking full collection stops every thread of
        // the process — in the test process (workstation GC too) the windows of a few rows each froze the other tests'
        // in-process hosts (a browser test's sign-in timed out in CI).
        if (!GCSettings.IsServerGC && rowsWritten >= CompactAfterRows)
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>Rows the workbook's reader hands to the checks at a time (four such batches at most wait).</summary>
    private const int RowsReadAhead = 256;

    /// <summary>How many rows a write window must have held for the collection after it (the default window is 10,000).</summary>
    private const int CompactAfterRows = 5_000;

    /// <summary>
    /// The import connection's SQLite settings while it writes, set back before the connection returns to the pool (other
    /// providers: nothing to do).
    /// A larger page cache: SQLite's default (2 MB) holds a small part of the pages one import writes — the petitions carry
    /// twenty indexes and the full-text index: the transaction kept spilling pages into the WAL and reading them back (a
    /// quarter of the import's CPU was the kernel's writes and reads, issue 12); <see cref="ImportOptions.SqlitePageCacheMegabytes"/>,
    /// 16 MB by default (0 leaves SQLite's 2 MB).
    /// Temp files in memory (<c>temp_store</c>): every INSERT inside the transaction keeps a statement journal (the triggers
    /// may fail it halfway), which SQLite otherwise spills to a temp file — 0.6 s of kernel time per 10,000 single-row INSERTs
    /// measured in sqlite3, nothing in memory (a journal holds one statement's pages).
    /// No automatic checkpoint at the commit (<c>wal_autocheckpoint</c>): the commit of a 50,000-row import would copy the whole
    /// WAL (≈ 90 MB into an empty database) into the database file before the upload gets its result — ≈ 0.25 s of a warm
    /// import's wall (issue 12 goal 8). <see cref="CheckpointAsync"/> does it after the result, on this same connection
    /// (<see cref="ImportCheckpoints"/>); left undone, the next commit of any leader's save would pay for it.
    /// </summary>
    private sealed class SqliteWriteSettings(AppDbContext db, long? previousCache, long previousTempStore, long previousAutoCheckpoint) : IAsyncDisposable
    {
        public static async Task<SqliteWriteSettings> ApplyAsync(AppDbContext db, int megabytes, CancellationToken ct)
        {
            if (!db.Database.IsSqlite()) return new SqliteWriteSettings(db, null, 0, 0);
            await db.Database.OpenConnectionAsync(ct);
            var previousTempStore = await PragmaAsync(db, "temp_store", ct);
            await PragmaAsync(db, "temp_store = MEMORY", ct);
            var previousAutoCheckpoint = await PragmaAsync(db, "wal_autocheckpoint", ct);
            await PragmaAsync(db, "wal_autocheckpoint = 0", ct);
            long? previousCache = null;
            if (megabytes > 0)
            {
                previousCache = await PragmaAsync(db, "cache_size", ct);
                // Negative: a size in KiB rather than in pages.
                await PragmaAsync(db, "cache_size = " + (-(long)megabytes * 1024).ToString(CultureInfo.InvariantCulture), ct);
            }
            return new SqliteWriteSettings(db, previousCache, previousTempStore, previousAutoCheckpoint);
        }

        /// <summary>True on SQLite: the commit left its pages in the WAL for <see cref="CheckpointAsync"/>.</summary>
        public bool LeavesCheckpoint => db.Database.IsSqlite();

        /// <summary>Copies the WAL into the database file as far as no reader still needs it (what the commit's automatic
        /// checkpoint would have done: PASSIVE, it waits for no one).</summary>
        public Task CheckpointAsync() => PragmaAsync(db, "wal_checkpoint(PASSIVE)", CancellationToken.None);

        private static async Task<long> PragmaAsync(AppDbContext db, string pragma, CancellationToken ct)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            if (!db.Database.IsSqlite()) return;
            if (previousCache is { } size) await PragmaAsync(db, "cache_size = " + size.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            await PragmaAsync(db, "temp_store = " + previousTempStore.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            await PragmaAsync(db, "wal_autocheckpoint = " + previousAutoCheckpoint.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>What the first pass keeps of the file: per row only what the checks across rows and the second pass need.</summary>
    private sealed class ImportPlan
    {
        /// <summary>Every 信访编号 of the file (valid row or not) → its first row.</summary>
        public Dictionary<string, int> FirstRowOf { get; } = new(StringComparer.Ordinal);
        /// <summary>The valid rows, in file order.</summary>
        public List<RowFacts> Rows { get; } = [];
        public Dictionary<string, RowFacts> ByCase { get; } = new(StringComparer.Ordinal);
        /// <summary>身份证号 → the first row's name and row (docs/rules.md §6: one number, one person).</summary>
        public Dictionary<string, (string Name, int Row)> IdNumbers { get; } = new(StringComparer.Ordinal);
        /// <summary>Stored petitions named by 原信访编号 → their thread and date.</summary>
        public Dictionary<string, (int ThreadId, DateOnly ReceivedOn)> StoredOriginals { get; } = new(StringComparer.Ordinal);
        /// <summary>
        /// Case number → thread id, for the 原信访编号 of new rows (stored ones now; new ones as they are written). After the
        /// checks only the numbers some row names as its 原信访编号 (<see cref="NamedAsOriginal"/>).
        /// </summary>
        public Dictionary<string, int> ThreadOf { get; } = new(StringComparer.Ordinal);
        /// <summary>Every 原信访编号 the file's rows name (filled by <see cref="ChecksDone"/>).</summary>
        public HashSet<string> NamedAsOriginal { get; } = new(StringComparer.Ordinal);
        /// <summary>Row → stored petition id, for rows that change a stored petition.</summary>
        public Dictionary<int, int> Updates { get; } = [];
        public List<RowFacts> Inserts { get; } = [];
        public int Unchanged { get; set; }
        public List<string> ByExternalNumber { get; } = [];
        public List<string> UnspecifiedReplies { get; } = [];

        /// <summary>
        /// The checks across rows are done: what only they needed goes (per row: the file's numbers, its 身份证号 and names, the
        /// stored threads of rows no row names), so the write holds no more than it uses (issue 12: with the spill's rows
        /// reading back the plan's case numbers, 20–40 MB off the peak at the largest allowed file; bench/README.md import.sh).
        /// </summary>
        public void ChecksDone()
        {
            foreach (var row in Rows)
                if (row.OriginalCaseNumber is { } o) NamedAsOriginal.Add(o);
            foreach (var number in ThreadOf.Keys.Where(k => !NamedAsOriginal.Contains(k)).ToList()) ThreadOf.Remove(number);
            ThreadOf.TrimExcess();
            Release(FirstRowOf);
            Release(ByCase);
            Release(IdNumbers);
            Release(StoredOriginals);

            static void Release<TKey, TValue>(Dictionary<TKey, TValue> map) where TKey : notnull
            {
                map.Clear();
                map.TrimExcess();
            }
        }

        public void Add(ParsedLedgerRow row, SpilledRow spilled)
        {
            var facts = new RowFacts(row.Row, row.CaseNumber, row.ReceivedOn, row.OriginalCaseNumber, spilled);
            Rows.Add(facts);
            ByCase[row.CaseNumber] = facts;
            if (row.ReplyResult == ReplyResult.Unspecified) UnspecifiedReplies.Add(row.CaseNumber);
        }
    }

    private sealed record RowFacts(int Row, string CaseNumber, DateOnly ReceivedOn, string? OriginalCaseNumber, SpilledRow Spilled);

    /// <summary>
    /// A batch of valid rows against the database: a row whose 信访编号 is stored is compared with it (unchanged, an update,
    /// or conflicts), any other is new; the stored petitions their 原信访编号 name are remembered for the checks across rows.
    /// </summary>
    private static async Task ClassifyAsync(
        AppDbContext db, List<ParsedLedgerRow> batch, ImportPlan plan, List<ImportError> errors, PersonalDataProtector personalData, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var existing = await ExistingAsync(db, batch.Select(r => r.CaseNumber), personalData, ct);
        var originals = await OriginalsAsync(db, batch.Select(r => r.OriginalCaseNumber).OfType<string>().Where(o => !plan.StoredOriginals.ContainsKey(o)), ct);
        foreach (var (k, v) in originals)
        {
            plan.StoredOriginals[k] = v;
            plan.ThreadOf[k] = v.ThreadId;
        }
        foreach (var row in batch)
        {
            if (!existing.TryGetValue(row.CaseNumber, out var stored))
            {
                plan.Inserts.Add(plan.ByCase[row.CaseNumber]);
                continue;
            }
            plan.ThreadOf[row.CaseNumber] = stored.ThreadId;
            if (stored.MatchedByExternalNumber(row.CaseNumber)) plan.ByExternalNumber.Add($"{row.CaseNumber} → {stored.CaseNumber}");
            var originalThread = row.OriginalCaseNumber is { } o && plan.StoredOriginals.TryGetValue(o, out var so) ? so.ThreadId : (int?)null;
            if (Compare(row, stored, originalThread, errors)) plan.Unchanged++;
            else plan.Updates[row.Row] = stored.Id;
        }
    }

    /// <summary>Stored petitions by 信访编号 (or 外部编号, as <see cref="ExistingAsync"/> finds them): thread and date only.</summary>
    private static async Task<Dictionary<string, (int ThreadId, DateOnly ReceivedOn)>> OriginalsAsync(
        AppDbContext db, IEnumerable<string> caseNumbers, CancellationToken ct)
    {
        var result = new Dictionary<string, (int, DateOnly)>(StringComparer.Ordinal);
        foreach (var chunk in caseNumbers.Distinct().Chunk(SqlLimits.KeysPerStatement))
        {
            var found = await db.Petitions.AsNoTracking().Where(p => chunk.Contains(p.CaseNumber) || chunk.Contains(p.ExternalNumber!))
                .Select(p => new { p.CaseNumber, p.ExternalNumber, p.ThreadId, p.ReceivedOn }).ToListAsync(ct);
            // Its own number wins when a number is both (as in ExistingAsync).
            var numbers = chunk.ToHashSet(StringComparer.Ordinal);
            foreach (var f in found.Where(f => f.ExternalNumber is { } e && numbers.Contains(e))) result[f.ExternalNumber!] = (f.ThreadId, f.ReceivedOn);
            foreach (var f in found.Where(f => numbers.Contains(f.CaseNumber))) result[f.CaseNumber] = (f.ThreadId, f.ReceivedOn);
        }
        return result;
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
    private static void CheckIdentityInFile(ParsedLedgerRow row, Dictionary<string, (string Name, int Row)> inFile, List<ImportError> errors)
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

    /// <summary>The file's 身份证号 (first row of each, <see cref="CheckIdentityInFile"/>) against the stored petitioners.</summary>
    private static async Task CheckIdentitiesAsync(
        AppDbContext db, Dictionary<string, (string Name, int Row)> inFile, List<ImportError> errors, PersonalDataProtector personalData, CancellationToken ct)
    {
        foreach (var chunk in personalData.LookupKeys(inFile.Keys.Select(id => "ID:" + id)).Chunk(SqlLimits.KeysPerStatement))
        {
            var stored = (await db.Petitioners.AsNoTracking().WithIdentityKeys(chunk)
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
    /// Returns the depth in its chain of each row with an in-file original (any other row: 0), so originals are written first.
    /// </summary>
    private static Dictionary<string, int> CheckOriginals(ImportPlan plan, List<ImportError> errors)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in plan.Rows)
        {
            if (row.OriginalCaseNumber is not { } o) continue;
            DateOnly? originalReceived = plan.ByCase.TryGetValue(o, out var inFile) ? inFile.ReceivedOn
                : plan.StoredOriginals.TryGetValue(o, out var stored) ? stored.ReceivedOn : null;
            if (originalReceived is null)
            {
                errors.Add(new ImportError(row.Row, LedgerColumns.OriginalCaseNumber, o,
                    plan.FirstRowOf.TryGetValue(o, out var badRow)
                        ? $"原信访编号“{o}”所在的第 {badRow} 行有错误，无法关联"
                        : $"原信访编号“{o}”在系统和本台账中都不存在"));
                continue;
            }
            if (originalReceived > row.ReceivedOn)
                errors.Add(new ImportError(row.Row, LedgerColumns.OriginalCaseNumber, o,
                    $"原信访件“{o}”的登记日期 {originalReceived:yyyy-MM-dd} 晚于本件 {row.ReceivedOn:yyyy-MM-dd}：重复件只能关联更早的信访件"));
        }
        foreach (var row in plan.Rows)
        {
            if (row.OriginalCaseNumber is null) continue;
            var seen = new HashSet<string>(StringComparer.Ordinal) { row.CaseNumber };
            var d = 0;
            for (var at = row; at.OriginalCaseNumber is { } o && plan.ByCase.TryGetValue(o, out var next); at = next)
            {
                if (!seen.Add(o))
                {
                    errors.Add(new ImportError(row.Row, LedgerColumns.OriginalCaseNumber, row.OriginalCaseNumber, "原信访编号构成循环引用"));
                    break;
                }
                d++;
            }
            if (d > 0) depth[row.CaseNumber] = d;
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

    /// <summary>
    /// The rows that change stored petitions, in file order, <see cref="ImportOptions.BatchSize"/> at a time: their petitions
    /// loaded with one query per batch (not one each), then each attached, changed and saved on its own in file order — the
    /// rows, ids and audit trail exactly as one load per row gave them (one save for the batch would number the events
    /// differently). A petition a batch already holds (its own number and its 外部编号 both in the file) closes the batch first.
    /// </summary>
    private sealed class UpdateBatch(
        LedgerImportService service, AppDbContext db, Dictionary<string, int> unitIds, DateTime now, string actor,
        List<ImportError> errors, Action<int> progress)
    {
        private readonly List<(ParsedLedgerRow Row, int StoredId)> _pending = [];
        private readonly HashSet<int> _ids = [];

        public int Done { get; private set; }

        public async Task AddAsync(ParsedLedgerRow row, int storedId, CancellationToken ct)
        {
            if (!_ids.Add(storedId))
            {
                await FlushAsync(ct);
                _ids.Add(storedId);
            }
            _pending.Add((row, storedId));
            if (_pending.Count >= Math.Max(1, service.Options.BatchSize)) await FlushAsync(ct);
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            if (_pending.Count == 0) return;
            var ids = _pending.Select(x => x.StoredId).ToList();
            var loaded = new Dictionary<int, Petition>();
            foreach (var chunk in ids.Chunk(SqlLimits.KeysPerStatement))
                foreach (var p in await db.Petitions.AsNoTracking().Include(x => x.Events).Where(x => chunk.Contains(x.Id)).ToListAsync(ct))
                    loaded[p.Id] = p;
            foreach (var (row, id) in _pending)
            {
                var p = loaded[id];
                db.Petitions.Attach(p);
                service.Update(p, row, unitIds, now, actor, errors);
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                progress(++Done);
            }
            _pending.Clear();
            _ids.Clear();
        }
    }

    /// <summary>Advances an existing petition to what its row says: attributes, then the later steps as events.</summary>
    private void Update(
        Petition p, ParsedLedgerRow row, Dictionary<string, int> unitIds, DateTime now, string actor, List<ImportError> errors)
    {
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
            // The import is refused whole (the transaction rolls back), so what this row changed before failing is never kept.
            errors.Add(new ImportError(row.Row, LedgerColumns.CaseNumber, row.CaseNumber, e.Message));
        }
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

    /// <summary>
    /// Writes the new rows inside the import's transaction, in the order they were received, one window of rows at a time
    /// (<see cref="WriteAsync"/>; the state across windows — who is known, which thread each case is on — lives here). A row
    /// joins a thread through the repeats feature (ThreadLinkingService.JoinNewAsync: thread figures, the RepeatLinked event,
    /// "再访原领导包") when it names a 原信访编号 or when RepeatDetectionService finds a same-person, same-matter earlier
    /// petition; that row goes through EF (its changes to rows that already existed are audited). Every other row starts its
    /// own thread and is written with prepared INSERTs outside the change tracker (issue 12: a 50,000-row ledger in seconds,
    /// memory flat in the file) — what EF would write, unaudited as EF's writes of imported rows are (the one "Import" entry
    /// stands for them). Each row is in the database before the next is looked at, so detection also sees earlier rows of the file.
    /// </summary>
    private sealed class NewRowWriter : IDisposable
    {
        private readonly LedgerImportService _service;
        private readonly AppDbContext _db;
        private readonly Dictionary<string, int> _threadOf; // case number → thread id, for rows already saved that a row names
        private readonly IReadOnlySet<string> _namedAsOriginal;
        private readonly Dictionary<string, int> _unitIds;
        private readonly DateTime _now;
        private readonly string _actor;
        private readonly List<ImportError> _errors;
        // Petitioners already known by identity are reused (docs/rules.md §6); the keys are looked up per window. The map
        // grows with every petitioner this import adds, so it also answers "can detection find anything?" without a query —
        // and "was this key looked up already?": every key of a window is in it once the window is written (found or added).
        private readonly Dictionary<string, int> _people = new(StringComparer.Ordinal);
        // The window's clear keys → their hash under the current key, from the lookup: a person added is hashed once, not twice.
        private readonly Dictionary<string, string> _hashed = new(StringComparer.Ordinal);
        private readonly HashSet<int> _touchedThreads = [];
        // Threads this import has put rows on, as the 初件/重件 rule sees them (members, figures): a repeat joins them in
        // memory (ThreadMembership) instead of through EF. Every thread started here is added; a stored one is read once.
        private readonly Dictionary<int, JoinedThread> _threads = [];
        // Threads this import started that nothing has joined yet — nearly all of them: their one petition, from which
        // Known() makes the JoinedThread when a repeat comes (a few bytes each instead of a member list, issue 12).
        private readonly Dictionary<int, FreshThread> _fresh = [];
        // Audit rows of the joins done in memory, saved (in order) before anything else writes audit rows.
        private readonly List<AuditEntry> _audit = [];
        private readonly string[] _threadFields;
        private readonly bool _audited;
        private readonly ImportInserts _inserts;
        // SQLite: the stored petitioners are looked up on a connection of their own (see WriteAsync); null until first used.
        private AppDbContext? _storedPeople;
        private bool _writing;

        public int Repeats { get; private set; }

        public int JoinedInMemory { get; private set; }

        public NewRowWriter(
            LedgerImportService service, AppDbContext db, Dictionary<string, int> threadOf, IReadOnlySet<string> namedAsOriginal,
            Dictionary<string, int> unitIds, DateTime now, string actor, List<ImportError> errors)
        {
            (_service, _db, _threadOf, _namedAsOriginal, _unitIds, _now, _actor, _errors) = (service, db, threadOf, namedAsOriginal, unitIds, now, actor, errors);
            _inserts = new ImportInserts(db, service.Options.RowsPerInsert);
            // The thread's figures in the order the audit interceptor lists a thread's changed fields (the model's order).
            string[] figures = [nameof(PetitionThread.PetitionCount), nameof(PetitionThread.FirstPetitionId),
                nameof(PetitionThread.FirstReceivedOn), nameof(PetitionThread.LastReceivedOn)];
            _threadFields = [.. db.Model.FindEntityType(typeof(PetitionThread))!.GetProperties().Select(x => x.Name).Where(figures.Contains)];
            // The in-memory join writes the audit rows the audit interceptor would have written on the tracked path — so only
            // where that interceptor is on (always in the app; a test may leave it off).
            _audited = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.Any(i => i is AuditInterceptor) == true;
        }

        /// <summary>A thread as the rule sees it; <see cref="Stale"/>: its row still holds older figures (written at the end).</summary>
        private sealed class JoinedThread(ThreadFigures figures, List<ThreadMember> members, bool hasAssignment, bool stale)
        {
            public ThreadFigures Figures { get; set; } = figures;
            public List<ThreadMember> Members { get; } = members;
            public bool HasAssignment { get; } = hasAssignment;
            public bool Stale { get; set; } = stale;
        }

        private readonly record struct FreshThread(int PetitionId, DateOnly ReceivedOn, string CaseNumber);

        /// <summary>A thread held in memory (a fresh one made whole on first use); null for one only the database knows.</summary>
        private JoinedThread? Known(int threadId)
        {
            if (_threads.TryGetValue(threadId, out var known)) return known;
            if (!_fresh.Remove(threadId, out var f)) return null;
            // Its row's first petition is written at the end (FinishAsync): stale until then.
            return _threads[threadId] = new JoinedThread(new ThreadFigures(1, f.PetitionId, f.ReceivedOn, f.ReceivedOn),
                [new ThreadMember(f.PetitionId, f.ReceivedOn, false, f.CaseNumber)], hasAssignment: false, stale: true);
        }

        private async Task<JoinedThread> JoinedThreadAsync(int threadId, CancellationToken ct)
        {
            if (Known(threadId) is { } known) return known;
            _inserts.Flush();
            var row = await _db.Threads.AsNoTracking().Where(t => t.Id == threadId)
                .Select(t => new { t.PetitionCount, t.FirstPetitionId, t.FirstReceivedOn, t.LastReceivedOn }).FirstAsync(ct);
            var members = await _db.Petitions.AsNoTracking().Where(p => p.ThreadId == threadId)
                .Select(p => new ThreadMember(p.Id, p.ReceivedOn, p.IsRepeat, p.CaseNumber)).ToListAsync(ct);
            var hasAssignment = await _db.LeaderAssignments.AnyAsync(a => a.ThreadId == threadId, ct);
            return _threads[threadId] = new JoinedThread(
                new ThreadFigures(row.PetitionCount, row.FirstPetitionId, row.FirstReceivedOn, row.LastReceivedOn), members, hasAssignment, stale: false);
        }

        /// <summary>Before EF reads a thread: its row gets the figures the joins in memory gave it, and the audit rows go in first.</summary>
        private async Task BeforeTrackedJoinAsync(int threadId, CancellationToken ct)
        {
            _inserts.Flush();
            await SaveAuditAsync(ct);
            _inserts.TriggersOn(); // EF writes petitions next
            if (Known(threadId) is null || !_threads.Remove(threadId, out var known) || !known.Stale) return;
            var f = known.Figures;
            await _db.Threads.Where(t => t.Id == threadId).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.PetitionCount, f.PetitionCount).SetProperty(t => t.FirstPetitionId, f.FirstPetitionId)
                .SetProperty(t => t.FirstReceivedOn, f.FirstReceivedOn).SetProperty(t => t.LastReceivedOn, f.LastReceivedOn), ct);
        }

        /// <summary>
        /// The audit rows of the joins done in memory, stamped with their actor's class by the interceptor's own rule, then
        /// written with the multi-row inserts (EF's change tracker and save cost a warm 50,000-row import ≈ 5 % more CPU, issue 12).
        /// <paramref name="inBackground"/>: with every row held, on another thread while the next batch is prepared
        /// (<see cref="ImportInserts.WriteInBackground"/>); otherwise written before this returns, for a read that follows.
        /// </summary>
        private async Task SaveAuditAsync(CancellationToken ct, bool inBackground = false)
        {
            if (_audit.Count > 0)
            {
                _inserts.AwaitBackground(); // the actors' classes are read on the import's connection
                await AuditInterceptor.ClassifyActorsAsync(_db, _audit, ct);
                foreach (var entry in _audit) _inserts.Audit(entry);
                _audit.Clear();
            }
            if (inBackground) _inserts.WriteInBackground();
            else _inserts.Flush();
        }

        /// <summary>
        /// A repeat that moves no 初件 onto a thread without a 包案 (nearly every join of a ledger), written as the single-row
        /// path (ThreadLinkingService.JoinNewAsync, then the import's save) writes it — the same rows, ids, events and audit
        /// rows — with inserts, the thread's figures kept in memory until <see cref="FinishAsync"/>.
        /// </summary>
        private void JoinInMemory(Petition p, ParsedLedgerRow row, int threadId, JoinedThread thread, ThreadFigures after, string linkNote)
        {
            var before = thread.Figures;
            var first = thread.Members.Find(m => m.PetitionId == before.FirstPetitionId)?.CaseNumber;
            p.ThreadId = threadId;
            p.IsRepeat = true;
            InsertPetitionAndPeople(p, row);
            var now = _service.Clock.GetUtcNow().UtcDateTime;
            var today = _service.Clock.Today();
            var joined = ThreadLinkingService.JoinedEvent(p, threadId, first, linkNote, _actor, now, today);
            _inserts.Event(joined);

            // What the audit interceptor records for that second save: the thread's changed figures, then the new 重件 flag.
            thread.Members.Add(new ThreadMember(p.Id, p.ReceivedOn, true, p.CaseNumber));
            thread.Stale = true;
            if (!_audited)
            {
                thread.Figures = after;
                return;
            }
            string? CaseOf(int? id) => id is null ? null : thread.Members.Find(m => m.PetitionId == id)?.CaseNumber ?? $"#{id}";
            var who = _service.AuditActor.Actor;
            var key = threadId.ToString(CultureInfo.InvariantCulture);
            foreach (var field in _threadFields)
            {
                var (old, @new) = field switch
                {
                    nameof(PetitionThread.PetitionCount) => (AuditInterceptor.Format(before.PetitionCount), AuditInterceptor.Format(after.PetitionCount)),
                    nameof(PetitionThread.FirstPetitionId) => (CaseOf(before.FirstPetitionId), CaseOf(after.FirstPetitionId)),
                    nameof(PetitionThread.FirstReceivedOn) => (AuditInterceptor.Format(before.FirstReceivedOn), AuditInterceptor.Format(after.FirstReceivedOn)),
                    _ => (AuditInterceptor.Format(before.LastReceivedOn), AuditInterceptor.Format(after.LastReceivedOn)),
                };
                if (old != @new)
                    _audit.Add(AuditEntry.Create(now, who, AuditActions.Update, nameof(PetitionThread), key, CaseOf(after.FirstPetitionId), field, old, @new));
            }
            _audit.Add(AuditEntry.Create(now, who, AuditActions.Update, nameof(Petition), p.Id.ToString(CultureInfo.InvariantCulture), p.CaseNumber,
                nameof(Petition.IsRepeat), AuditInterceptor.Format(false), AuditInterceptor.Format(true)));
            thread.Figures = after;
            thread.Stale = true;
        }

        private string? Hashed(string? clearKey) => clearKey is not null && _hashed.TryGetValue(clearKey, out var hash) ? hash : null;

        /// <summary>The petition, its new petitioners (one per identity), its links and its events, as prepared INSERTs.</summary>
        private void InsertPetitionAndPeople(Petition p, ParsedLedgerRow row)
        {
            _inserts.Petition(p);
            var linked = new HashSet<int>();
            foreach (var person in row.People)
            {
                if (person.IdentityKey is not { } key || !_people.TryGetValue(key, out var id))
                {
                    var created = _service.PersonalData.NewPetitioner(person.Name, person.IdNumber, person.Phone, null, person.IdentityKey, Hashed(person.IdentityKey));
                    _inserts.Petitioner(created);
                    id = created.Id;
                    if (person.IdentityKey is { } k) _people[k] = id;
                }
                if (linked.Add(id)) _inserts.Link(new PetitionPetitioner { PetitionId = p.Id, PetitionerId = id });
            }
            foreach (var e in p.Events)
            {
                e.PetitionId = p.Id;
                _inserts.Event(e);
            }
        }

        /// <summary>Writes <paramref name="ordered"/> (in the order to write them), in batches; reports rows written.</summary>
        public async Task WriteAsync(IReadOnlyList<ParsedLedgerRow> ordered, Action<int> progress, CancellationToken ct)
        {
            var (db, deadlines, personalData) = (_db, _service.Deadlines, _service.PersonalData);
            var (now, actor, errors, people, threadOf) = (_now, _actor, _errors, _people, _threadOf);
            // The rows this file adds are summarized by the one "Import" entry; what it changes in rows that already existed (a
            // repeat turning an earlier 初件 into a 重件, a resolved 包案 relapsing, thread totals) is audited row by row, in this transaction.
            using var quiet = AuditSuppression.BeginImport();
            if (!_writing) _inserts.Invalidate(); // the updates before this went through EF (later, a tracked join invalidates)
            _writing = true;

            // Stored keys are hashes: each found one is mapped back to the clear key of the file's rows. A key first seen in an
            // earlier window is known already (found then, or added by that window).
            _hashed.Clear();
            var keys = personalData.LookupMap(ordered.SelectMany(r => r.People).Select(p => p.IdentityKey).OfType<string>()
                .Distinct().Where(k => !people.ContainsKey(k)).ToList(), _hashed);
            var storedPeople = await StoredPeopleAsync(ct);
            foreach (var chunk in keys.Keys.Chunk(SqlLimits.KeysPerStatement))
            {
                var found = await storedPeople.Petitioners.AsNoTracking().WithIdentityKeys(chunk)
                    .OrderBy(p => p.Id).Select(p => new { p.IdentityKey, p.Id }).ToListAsync(ct);
                foreach (var f in found) people.TryAdd(keys[f.IdentityKey], f.Id);
            }

            var written = 0;
            foreach (var batch in ordered.Chunk(Math.Max(1, _service.Options.BatchSize)))
            {
                foreach (var row in batch)
                {
                    ct.ThrowIfCancellationRequested();
                    var p = new Petition
                    {
                        CaseNumber = row.CaseNumber, Form = row.Form, Purpose = row.Purpose, PeopleCount = row.PeopleCount,
                        Locality = row.Locality, Category = row.Category, Demand = row.Demand, UnitId = _unitIds[row.UnitName],
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
                        _inserts.Flush(); // detection reads the rows written so far
                        var candidates = await _service.Detection.FindCandidatesAsync(db,
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
                        _service.Advance(p, row, now, actor);
                        if (row.Evaluation is { } ev && row.RepliedOn is { } replied)
                            PetitionLifecycle.Evaluate(p, ev, replied, now, actor, "台账导入");
                    }
                    catch (ActionRefusedException e)
                    {
                        errors.Add(new ImportError(row.Row, LedgerColumns.CaseNumber, row.CaseNumber, e.Message));
                        continue;
                    }

                    var joining = threadId is { } j && _service.Options.JoinThreadsInMemory ? await JoinedThreadAsync(j, ct) : null;
                    if (threadId is { } inMemory && joining is { HasAssignment: false }
                        && ThreadMembership.AppendedRepeat(joining.Figures, joining.Members, row.ReceivedOn) is { } after)
                    {
                        JoinInMemory(p, row, inMemory, joining, after, linkNote!);
                        Repeats++;
                        JoinedInMemory++;
                    }
                    else if (threadId is { } t)
                    {
                        await BeforeTrackedJoinAsync(t, ct);
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
                                var created = personalData.NewPetitioner(person.Name, person.IdNumber, person.Phone, null, person.IdentityKey, Hashed(person.IdentityKey));
                                if (person.IdentityKey is { } k) added[k] = created;
                                p.Petitioners.Add(new PetitionPetitioner { Petition = p, Petitioner = created });
                            }
                        }
                        await _service.Linking.JoinNewAsync(db, p, t, linkNote!, actor, ct);
                        db.ChangeTracker.DetectChanges();
                        await db.SaveChangesAsync(ct);
                        _inserts.Invalidate(); // EF wrote petitions, petitioners and events with keys of its own
                        foreach (var (key, entity) in added) people.TryAdd(key, entity.Id);
                        if (p.IsRepeat) Repeats++;
                        db.ChangeTracker.Clear();
                    }
                    else
                    {
                        var thread = new PetitionThread { PetitionCount = 1, FirstReceivedOn = row.ReceivedOn, LastReceivedOn = row.ReceivedOn };
                        _inserts.Thread(thread);
                        p.ThreadId = thread.Id;
                        InsertPetitionAndPeople(p, row);
                        // A repeat joining it later finds it here.
                        _fresh[thread.Id] = new FreshThread(p.Id, row.ReceivedOn, p.CaseNumber);
                        // Held, not yet written: the thread's row goes out whole (its first petition too), so FinishAsync has
                        // nothing to recount on it unless a repeat joins it (that row touches it). A row written at once gets
                        // its first petition in FinishAsync.
                        if (_inserts.HoldsRows) thread.FirstPetitionId = p.Id;
                        else _touchedThreads.Add(p.ThreadId);
                    }
                    if (!_fresh.ContainsKey(p.ThreadId)) _touchedThreads.Add(p.ThreadId); // joined or stored: recounted at the end
                    if (_namedAsOriginal.Contains(row.CaseNumber)) threadOf[row.CaseNumber] = p.ThreadId;
                }
                // This batch is complete: written while the next one is prepared.
                await SaveAuditAsync(ct, inBackground: true);
                written += batch.Length;
                progress(written);
            }
        }

        /// <summary>
        /// Where a window's petitioners are looked up. On SQLite a connection of its own, so the lookup runs while the previous
        /// window's last rows are still being written in the background, and the next window's first batch is prepared meanwhile
        /// (issue 12 goal 8: on the import's connection every window began with the writing thread idle — ≈ 0.1 s each). It sees
        /// what the import's would, but the import's own rows: the import's transaction holds SQLite's write lock from its
        /// BEGIN IMMEDIATE, so no one else commits after it began; and every petitioner the import adds is in the map
        /// (<c>_people</c>) whose keys are never looked up. Other providers: the import's connection (there a second one could
        /// wait on the import's own locks), after the writing.
        /// </summary>
        private async Task<AppDbContext> StoredPeopleAsync(CancellationToken ct)
        {
            if (!_db.Database.IsSqlite())
            {
                _inserts.AwaitBackground();
                return _db;
            }
            return _storedPeople ??= await _service.Dbs.CreateDbContextAsync(ct);
        }

        /// <summary>Thread aggregates (count, dates, first petition) from their petitions, in SQL; the new threads' first petition too.</summary>
        public async Task FinishAsync(CancellationToken ct)
        {
            _inserts.TriggersOn();
            foreach (var chunk in _touchedThreads.Chunk(SqlLimits.KeysPerStatement))
            {
                await _db.Threads.Where(t => chunk.Contains(t.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.PetitionCount, t => t.Petitions.Count())
                    .SetProperty(t => t.FirstReceivedOn, t => t.Petitions.Min(p => p.ReceivedOn))
                    .SetProperty(t => t.LastReceivedOn, t => t.Petitions.Max(p => p.ReceivedOn))
                    .SetProperty(t => t.FirstPetitionId, t => t.Petitions.Where(p => !p.IsRepeat)
                        .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefault()), ct);
            }
        }

        public void Dispose()
        {
            _inserts.Dispose();
            _storedPeople?.Dispose();
        }
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

    /// <summary>
    /// The stored petitions of a batch's numbers, with their petitioners. Two flat queries — the petitions by number, then
    /// the petitioners of the petitions found — not one with the petitioners as a nested collection: EF joins a collection
    /// as a LEFT JOIN to a subquery, which SQLite materializes whole (every petitioner link of the database, then an
    /// automatic index over it) for each batch — 2 GB read and 0.3 s per batch for a 50,000-row ledger against 50,000
    /// stored petitions (issue 12, bench/README.md import.sh).
    /// </summary>
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
                    p.ExtensionDays, p.ThreadId, p.IsRepeat, new List<StoredPerson>())
                    { ExternalNumber = p.ExternalNumber })
                .ToListAsync(ct);
            if (found.Count == 0) continue;
            var byId = found.ToDictionary(f => f.Id);
            var ids = byId.Keys.ToArray();
            var people = await db.PetitionPetitioners.AsNoTracking().Where(x => ids.Contains(x.PetitionId))
                .Select(x => new { x.PetitionId, x.Petitioner.Name, x.Petitioner.IdNumber, x.Petitioner.Phone })
                .ToListAsync(ct);
            // Compared with the ledger's clear numbers in memory (SamePeople), never written anywhere.
            foreach (var x in people)
                byId[x.PetitionId].People.Add(new StoredPerson(x.Name, personalData.Reveal(x.IdNumber), personalData.Reveal(x.Phone)));
            var numbers = chunk.ToHashSet(StringComparer.Ordinal);
            foreach (var f in found.Where(f => f.ExternalNumber is { } e && numbers.Contains(e))) result[f.ExternalNumber!] = f;
            foreach (var f in found.Where(f => numbers.Contains(f.CaseNumber))) result[f.CaseNumber] = f;
        }
        return result;
    }

    private static int LedgerColumnOrder(string column)
    {
        var i = LedgerColumns.All.ToList().IndexOf(column);
        return i < 0 ? int.MaxValue : i;
    }
}
