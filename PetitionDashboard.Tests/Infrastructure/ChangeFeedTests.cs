using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data.Migrations.Steps;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Features.Repeats;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Infrastructure;

/// <summary>
/// The node's change feed: the version only moves forward and every change is announced once, whichever of two reads made
/// at once (the poll, a prerender) lands last.
/// </summary>
public class ChangeFeedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOlderReadLandingLast_NeitherMovesTheVersionBack_NorAnnouncesAChangeAgain()
    {
        await using var db = await TestDatabase.CreateAsync();
        var feed = new DatabaseChangeFeed(db, NullLogger<DatabaseChangeFeed>.Instance);
        var notices = new List<ChangeNotice>();
        feed.Changed += notices.Add;

        Assert.Equal(5, feed.Observe(5));   // the first read: a starting point, no change announced
        Assert.Equal(7, feed.Observe(7));   // the newer read lands first …
        Assert.Equal(7, feed.Observe(6));   // … the older one after it: ignored
        Assert.Equal(7, feed.Observe(7));
        Assert.Equal(9, feed.Observe(9));

        Assert.Equal(9, feed.Version);
        Assert.Equal([new ChangeNotice(5, 7), new ChangeNotice(7, 9)], notices);
        // Counted as the live bar counts them: 2 + 2 changes, not 2 + 1 + 1 + 2.
        Assert.Equal(4, notices.Sum(n => n.Count));
    }

    /// <summary>
    /// PostgreSQL's counter is the sum of a log each writing transaction adds a row to; the poller folds the rows into one.
    /// Folding never moves the counter (a fresh node reads the same value), and writes after it still move it.
    /// </summary>
    [Fact]
    public async Task Compacting_KeepsTheCounter_AndLaterWritesStillMoveIt()
    {
        await using var w = await RepeatWorld.CreateAsync();
        for (var i = 0; i < 3; i++) await w.RegisterNewAsync(w.Draft());
        var feed = new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance);
        var before = await feed.RefreshAsync(Ct);
        Assert.True(before > 0);

        await feed.CompactAsync(Ct);
        await feed.CompactAsync(Ct);   // a second fold (another node's) changes nothing either

        Assert.Equal(before, await new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance).RefreshAsync(Ct));
        if (w.Db.Provider == PetitionDashboard.Data.DatabaseProvider.PostgreSql)
        {
            await using var ctx = w.Db.CreateDbContext();
            Assert.Equal(1, await ctx.Database.SqlQueryRaw<int>($"SELECT count(*)::int AS \"Value\" FROM \"{ChangeFeedCommitSteps.PostgresLog}\"").SingleAsync(Ct));
        }
        await w.RegisterNewAsync(w.Draft());
        Assert.True(await feed.RefreshAsync(Ct) > before);
    }
}

public sealed class ChangeFeedPostgresTests : ChangeFeedTests, IRunsOnPostgres;
