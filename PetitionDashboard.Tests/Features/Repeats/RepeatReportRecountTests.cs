using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Tests.Data;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>
/// The repeats page's lists are read through the thread-driven queries (issue 12): on a generated demo they list exactly the
/// rows a plain recount from the petitions gives — same threads, same figures, same order, same totals — for the default
/// period, a past one, and the unit and category filters.
/// </summary>
public sealed class RepeatReportRecountTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _database = null!;
    private RepeatReportService _reports = null!;
    private DateOnly _today;

    public async ValueTask InitializeAsync()
    {
        var clock = DemoTestSupport.Clock();
        _today = clock.Today();
        _database = await TestDatabase.CreateAsync();
        await DemoTestSupport.Demo(_database, clock).GenerateAsync(4_000, seed: 20261130, progress: null, Ct);
        _reports = new RepeatReportService(_database, Options.Create(new RepeatOptions()),
            new AccessGuard(FixedCurrentUser.For("局领导", [Roles.Leader])), TestPersonalData.Protector);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<RepeatFilter>> FiltersAsync()
    {
        await using var db = _database.CreateDbContext();
        var unit = await db.Petitions.Where(p => p.IsRepeat).GroupBy(p => p.UnitId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(Ct);
        var category = await db.Petitions.Where(p => p.IsRepeat).GroupBy(p => p.Category).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(Ct);
        return
        [
            new(_today.AddDays(-89), _today),
            new(_today.AddDays(-400), _today.AddDays(-250)),
            new(_today.AddDays(-365), _today, UnitId: unit),
            new(_today.AddDays(-365), _today, Category: category),
        ];
    }

    [Fact]
    public async Task Ranking_EqualsARecountFromThePetitions()
    {
        await using var db = _database.CreateDbContext();
        var petitions = await db.Petitions.AsNoTracking()
            .Select(p => new { p.ThreadId, p.ReceivedOn, p.UnitId, p.Category, p.Thread.PetitionCount }).ToListAsync(Ct);
        foreach (var filter in await FiltersAsync())
        {
            // The ranking's definition: the period's petitions (filtered) of threads with repeats, per thread, most first.
            var expected = petitions
                .Where(p => p.ReceivedOn >= filter.From && p.ReceivedOn <= filter.To && p.PetitionCount >= 2)
                .Where(p => filter.UnitId is not { } u || p.UnitId == u)
                .Where(p => filter.Category is null || p.Category == filter.Category)
                .GroupBy(p => p.ThreadId)
                .Select(g => (ThreadId: g.Key, Times: g.Count(), Last: g.Max(p => p.ReceivedOn)))
                .OrderByDescending(x => x.Times).ThenByDescending(x => x.Last).ThenBy(x => x.ThreadId)
                .ToList();
            Assert.NotEmpty(expected);

            var all = await _reports.RankThreadsAsync(filter, 0, 10_000, Ct);
            Assert.Equal(expected.Count, all.Total);
            Assert.Equal(expected.Select(x => (x.ThreadId, x.Times)), all.Items.Select(r => (r.ThreadId, r.TimesInPeriod)));

            var second = await _reports.RankThreadsAsync(filter, 1, 7, Ct);
            Assert.Equal(expected.Count, second.Total);
            Assert.Equal(expected.Skip(7).Take(7).Select(x => x.ThreadId), second.Items.Select(r => r.ThreadId));
        }
    }
}
