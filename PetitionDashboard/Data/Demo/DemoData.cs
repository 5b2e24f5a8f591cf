using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Demo;

/// <summary>Generates the demo city for today's Shanghai date and writes it into an empty database.</summary>
public sealed class DemoData(DemoDataGenerator generator, DemoDataWriter writer, TimeProvider clock, IOptions<DemoOptions> options)
{
    public Task<IReadOnlyList<string>> ExistingDataAsync(CancellationToken ct = default) => writer.ExistingDataAsync(ct);

    /// <summary>Refuses (<see cref="ActionRefusedException"/>) a database that holds data.</summary>
    public async Task<DemoWriteResult> GenerateAsync(int petitions, int seed, Action<DemoProgress>? progress, CancellationToken ct = default)
    {
        if (petitions is < 1 or > DemoOptions.MaxPetitions)
            throw new ArgumentOutOfRangeException(nameof(petitions), petitions, $"演示信访件数量须在 1 至 {DemoOptions.MaxPetitions} 之间");
        var master = generator.MasterData(seed);
        var batches = generator.Generate(master, petitions, seed, clock.Today(), Math.Max(1, options.Value.BatchSize));
        var result = await writer.WriteAsync(master, batches, petitions, progress, ct);
        await writer.WriteReceptionsAsync(clock.Today(), ct);
        return result;
    }
}
