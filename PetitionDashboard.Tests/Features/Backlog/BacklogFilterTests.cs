using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;

namespace PetitionDashboard.Tests.Features.Backlog;

public sealed class BacklogFilterTests
{
    private static BacklogFilter Parse(string url) => BacklogFilter.FromQuery(
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://localhost"), url).Query)
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString()));

    [Fact]
    public void EveryField_SurvivesTheRoundTripThroughTheUrl()
    {
        var filter = new BacklogFilter
        {
            Scope = BacklogScope.All, UnitId = 3, Category = "住房保障与房地产", Form = PetitionForm.LeaderMailbox,
            Deadline = DeadlineStatus.DueSoon, Supervision = SupervisionLevel.Listed, HasAssignment = false, IsRepeat = true, LeaderReception = true,
            ReceivedFrom = new(2026, 1, 1), ReceivedTo = new(2026, 3, 31), Age = AgeBucket.Days91To180, Text = "张 & 李",
        };

        var url = filter.ToUrl();

        Assert.Equal(filter, Parse(url));
        Assert.StartsWith("/?scope=all&status=duesoon&supervision=listed&age=91-180&unit=3&category=", url);
        Assert.Contains("from=2026-01-01&to=2026-03-31", url);
        Assert.Contains("&reception=1&", url);
    }

    [Fact]
    public void TheDefaultFilter_IsThePlainHomeUrl()
    {
        Assert.Equal("/", BacklogFilter.Default.ToUrl());
        Assert.Equal(BacklogFilter.Default, Parse("/"));
    }

    [Theory]
    [InlineData("/?status=late&unit=x&from=2026-13-01&age=7&assigned=maybe&form=pigeon")]
    [InlineData("/?unit=-1&to=tomorrow&repeat=")]
    public void MalformedValues_AreIgnored_SoASharedLinkNeverBreaksThePage(string url) =>
        Assert.Equal(BacklogFilter.Default, Parse(url));
}
