using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace PetitionDashboard.Infrastructure.Excel;

/// <summary>
/// A synchronous stream of rows (a workbook's XML, parsed as it is read) enumerated on a thread of its own, a few batches
/// ahead of the caller: on a 2-core server the parsing and the caller's work on the rows (checks, database look-ups) run
/// side by side instead of one after the other (issue 12 goal 8: the ledger import's read pass). Memory stays bounded —
/// at most <c>batches</c> × <c>batchSize</c> rows wait. The rows come in the source's order; what the source throws is
/// thrown to the caller where the rows end; when the caller stops early (an exception, a cancellation, a break) the source
/// is stopped and disposed before the enumeration's own disposal returns, so the file under it can be closed right after.
/// </summary>
public static class BackgroundReader
{
    public static async IAsyncEnumerable<T> ReadAhead<T>(
        IEnumerable<T> source, int batchSize, int batches, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(batches) { SingleReader = true, SingleWriter = true });
        ExceptionDispatchInfo? failure = null;
        // A thread of its own, not the pool's: the source blocks on the file, and a long read must not hold a pool thread
        // the server's circuits need.
        var producer = Task.Factory.StartNew(() =>
        {
            var batch = new List<T>(batchSize);
            try
            {
                try
                {
                    foreach (var item in source)
                    {
                        batch.Add(item);
                        if (batch.Count < batchSize) continue;
                        Hand(batch);
                        batch = new List<T>(batchSize);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
                // The rows read before the end (or before a failure) go too, unless the caller has gone.
                if (batch.Count > 0 && !stop.IsCancellationRequested) Hand(batch);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The caller stopped reading: nothing more to hand over.
            }
            finally
            {
                channel.Writer.Complete();
            }

            void Hand(List<T> batch)
            {
                // Blocks while the caller is `batches` behind; ends (OperationCanceledException) once the caller has gone.
                if (!channel.Writer.TryWrite(batch)) channel.Writer.WriteAsync(batch, stop.Token).AsTask().GetAwaiter().GetResult();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

        try
        {
            while (await channel.Reader.WaitToReadAsync(ct))
                while (channel.Reader.TryRead(out var batch))
                    foreach (var item in batch)
                        yield return item;
            // The producer completed the channel: it is done, and `failure` is set if it failed.
            failure?.Throw();
        }
        finally
        {
            await stop.CancelAsync();
            // The source is the caller's (a file it closes next): not one more read of it after this returns.
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
