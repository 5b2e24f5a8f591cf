using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Tests.Infrastructure;

/// <summary>
/// The reader that parses a workbook on its own thread ahead of the import's checks: every row once, in order, across batch
/// boundaries; the source's failure thrown where its rows end; the source stopped and disposed when the caller stops early
/// (the file under it is closed right after); and never more than its bound ahead of the caller.
/// </summary>
public sealed class BackgroundReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>0, 1, 2 … up to <paramref name="count"/> (or without end), counting what was read and whether it was disposed.</summary>
    private sealed class CountingSource(int? count, int? failAt = null)
    {
        private int _produced;
        private int _disposed;

        public int Produced => Volatile.Read(ref _produced);

        public bool Disposed => Volatile.Read(ref _disposed) == 1;

        public IEnumerable<int> Items()
        {
            try
            {
                for (var i = 0; count is null || i < count; i++)
                {
                    if (i == failAt) throw new InvalidOperationException($"第 {i} 行读不出来");
                    Interlocked.Increment(ref _produced);
                    yield return i;
                }
            }
            finally
            {
                Volatile.Write(ref _disposed, 1);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task EveryItem_Once_InTheSourcesOrder_AcrossBatches(int count)
    {
        var source = new CountingSource(count);
        var read = new List<int>();

        await foreach (var item in BackgroundReader.ReadAhead(source.Items(), batchSize: 7, batches: 2, Ct)) read.Add(item);

        Assert.Equal(Enumerable.Range(0, count), read);
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task TheSourcesFailure_IsThrown_AfterEveryItemBeforeIt()
    {
        var source = new CountingSource(1000, failAt: 500);
        var read = new List<int>();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in BackgroundReader.ReadAhead(source.Items(), batchSize: 64, batches: 2, Ct)) read.Add(item);
        });

        Assert.Equal("第 500 行读不出来", e.Message);
        Assert.Equal(Enumerable.Range(0, 500), read);
    }

    [Fact]
    public async Task ACallerThatStopsEarly_StopsAndDisposesAnEndlessSource_BeforeItsDisposalReturns()
    {
        var source = new CountingSource(null);
        var read = 0;

        await foreach (var item in BackgroundReader.ReadAhead(source.Items(), batchSize: 16, batches: 2, Ct))
            if (++read == 100) break;

        Assert.True(source.Disposed);
        var produced = source.Produced;
        // Bounded: the waiting batches, the one being handed over and the one being filled, beyond the caller's own.
        Assert.InRange(produced, 100, 100 + 16 * (2 + 3));
        Assert.Equal(produced, source.Produced); // nothing read after the disposal returned
    }

    [Fact]
    public async Task ACancelledCaller_GetsTheCancellation_AndTheSourceIsDisposed()
    {
        var source = new CountingSource(null);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in BackgroundReader.ReadAhead(source.Items(), batchSize: 16, batches: 2, cancel.Token))
                if (++read == 50) await cancel.CancelAsync();
        });

        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task TheSource_NeverRunsMoreThanItsBoundAhead_OfASlowCaller()
    {
        var source = new CountingSource(5000);
        var read = 0;
        var furthestAhead = 0;

        await foreach (var item in BackgroundReader.ReadAhead(source.Items(), batchSize: 32, batches: 3, Ct))
        {
            read++;
            furthestAhead = Math.Max(furthestAhead, source.Produced - read);
            if (read % 256 == 0) await Task.Yield();
        }

        Assert.Equal(5000, read);
        Assert.InRange(furthestAhead, 0, 32 * (3 + 2));
    }
}
