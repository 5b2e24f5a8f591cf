using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Features.Import;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// Ledgers longer than what the workbook's reader parses ahead of the checks (its own thread, batches of a few hundred rows):
/// every bad row listed wherever it lies, nothing written; repeats named across the batches; a cancellation mid-way leaves
/// nothing behind.
/// </summary>
public sealed class LongLedgerTests
{
    private const int Rows = 1500;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary><see cref="Rows"/> valid rows L-0000 …, each a petitioner of its own (no repeat detection between them).</summary>
    private static LedgerFile Ledger(Func<int, (string Column, object? Value)[]>? change = null, Func<int, string>? number = null)
    {
        var ledger = new LedgerFile();
        for (var i = 0; i < Rows; i++)
            ledger.Row(number?.Invoke(i) ?? $"L-{i:D4}", [(C.Phones, $"139{i:D8}"), (C.Petitioners, $"张{i}"), .. change?.Invoke(i) ?? []]);
        return ledger;
    }

    [Fact]
    public async Task BadRowsAcrossTheWholeFile_AreAllListed_AndNothingIsWritten()
    {
        await using var w = await ImportWorld.CreateAsync();
        int[] badDates = [3, 700, Rows - 1];
        var ledger = Ledger(
            i => badDates.Contains(i) ? [(C.ReceivedOn, "2026-13-01")]
                : i == 1300 ? [(C.OriginalCaseNumber, "L-0003")] // names a bad row far earlier
                : [],
            i => i == 1200 ? "L-0010" : $"L-{i:D4}"); // the number of row 10 again, four batches later

        var result = await w.ImportAsync(ledger);

        Assert.False(result.Succeeded);
        var first = ledger.FirstDataRow;
        Assert.Equal(
            [(first + 3, C.ReceivedOn), (first + 700, C.ReceivedOn), (first + 1200, C.CaseNumber), (first + 1300, C.OriginalCaseNumber), (first + Rows - 1, C.ReceivedOn)],
            result.Errors.Select(e => (e.Row, e.Column)));
        Assert.Contains("第 12 行", result.Errors.Single(e => e.Column == C.CaseNumber).Message);
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
    }

    [Fact]
    public async Task RepeatsNamedAcrossTheBatches_JoinTheirOriginalsThread()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = Ledger(i => i switch
        {
            1400 => [(C.ReceivedOn, "2026-11-10"), (C.OriginalCaseNumber, "L-0005")],
            1450 => [(C.ReceivedOn, "2026-11-12"), (C.OriginalCaseNumber, "L-1400")],
            _ => [],
        });

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal((Rows, Rows, 2), (result.Rows, result.Added, result.Repeats));
        await using var db = await w.Db.CreateDbContextAsync(Ct);
        var threads = await db.Petitions.Where(p => p.CaseNumber == "L-0005" || p.CaseNumber == "L-1400" || p.CaseNumber == "L-1450")
            .Select(p => p.ThreadId).Distinct().ToListAsync(Ct);
        Assert.Single(threads);
        Assert.Equal(Rows - 2, await db.Threads.CountAsync(Ct));
    }

    [Fact]
    public async Task CancelledWhileReading_Throws_WritesNothing_AndLeavesNoTempFile()
    {
        await using var w = await ImportWorld.CreateAsync();
        var path = Ledger().Save();
        var importer = w.Importer();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        string received;
        await using (var upload = File.OpenRead(path))
            received = await importer.ReceiveAsync(upload, "台账.xlsx", upload.Length, Ct);
        File.Delete(path);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importer.ImportAsync(received, "台账.xlsx",
            new ImmediateProgress(p => { if (p is { Stage: "读取并校验", Done: >= 500 }) cancel.Cancel(); }), cancel.Token));

        File.Delete(received);
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
        Assert.Empty(Directory.EnumerateFiles(w.Temps.Folder)); // the spill of parsed rows is gone with the import
    }
}
