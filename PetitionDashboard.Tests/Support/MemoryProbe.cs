using System.Diagnostics;

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// What a piece of work cost in memory, measured in the process: the managed heap's peak growth over its start (sampled
/// every millisecond on a thread of its own), the bytes it allocated in all, and the working set's peak growth. Run it in
/// a collection that never runs in parallel, so the figures are the work's own.
/// </summary>
public sealed class MemoryProbe : IDisposable
{
    private readonly long _heapBefore;
    private readonly long _allocatedBefore;
    private readonly long _workingSetBefore;
    private readonly Thread _sampler;
    private long _heapPeak;
    private long _workingSetPeak;
    private volatile bool _stop;

    private MemoryProbe()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _heapBefore = _heapPeak = GC.GetTotalMemory(false);
        _allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var self = Process.GetCurrentProcess();
        _workingSetBefore = _workingSetPeak = self.WorkingSet64;
        _sampler = new Thread(Sample) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        _sampler.Start();
    }

    public static MemoryProbe Start() => new();

    public long HeapPeakGrowth { get; private set; }
    public long Allocated { get; private set; }
    public long WorkingSetPeakGrowth { get; private set; }

    public const long Megabyte = 1024 * 1024;

    public override string ToString() =>
        $"托管堆峰值增长 {HeapPeakGrowth / (double)Megabyte:F1} MB，分配合计 {Allocated / (double)Megabyte:F1} MB，" +
        $"工作集峰值增长 {WorkingSetPeakGrowth / (double)Megabyte:F1} MB";

    private void Sample()
    {
        using var self = Process.GetCurrentProcess();
        var tick = 0;
        while (!_stop)
        {
            var heap = GC.GetTotalMemory(false);
            if (heap > Interlocked.Read(ref _heapPeak)) Interlocked.Exchange(ref _heapPeak, heap);
            if (++tick % 10 == 0)
            {
                self.Refresh();
                if (self.WorkingSet64 > _workingSetPeak) _workingSetPeak = self.WorkingSet64;
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>Stops sampling and fixes the figures.</summary>
    public void Dispose()
    {
        if (_stop) return;
        var heapNow = GC.GetTotalMemory(false);
        _stop = true;
        _sampler.Join();
        Allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore;
        HeapPeakGrowth = Math.Max(_heapPeak, heapNow) - _heapBefore;
        WorkingSetPeakGrowth = _workingSetPeak - _workingSetBefore;
    }
}
