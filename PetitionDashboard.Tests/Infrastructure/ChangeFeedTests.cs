using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Infrastructure;

/// <summary>
/// The node's change feed: the version only moves forward and every change is announced once, whichever of two reads made
/// at once (the poll, a prerender) lands last.
/// </summary>
public sealed class ChangeFeedTests
{
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
}
