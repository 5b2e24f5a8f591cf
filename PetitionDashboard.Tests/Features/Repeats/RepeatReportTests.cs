using PetitionDashboard.Domain;
using PetitionDashboard.Features.Repeats;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>The repeats page's lists: ranking, 初转重, repeat petitioners, clusters.</summary>
public class RepeatReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly Nov1 = new(2026, 11, 1);
    private static readonly DateOnly Nov30 = new(2026, 11, 30);

    [Fact]
    public async Task FirstToRepeat_CountsAThreadInThePeriodOfItsSecondPetition_Only()
    {
        await using var w = await CreateAsync();
        // Thread A: first in September, second on Nov 1 (first day of the period) → 初转重 in November.
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 9, 10)));
        await w.RegisterRepeatAsync(w.Draft(receivedOn: Nov1), a1);
        // Thread B: second on Oct 31 (outside), third in November → not 初转重 in November.
        var b1 = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: new DateOnly(2026, 9, 1)));
        await w.RegisterRepeatAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: new DateOnly(2026, 10, 31)), b1);
        await w.RegisterRepeatAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: new DateOnly(2026, 11, 20)), b1);
        // Thread C: a single petition in November → no repeat, not listed.
        await w.RegisterNewAsync(w.Draft(name: "王五", id: IdWang, demand: "小区物业乱收费", receivedOn: new DateOnly(2026, 11, 5)));

        var november = await w.Reports.FirstToRepeatAsync(new RepeatFilter(Nov1, Nov30), 0, 20, Ct);
        var row = Assert.Single(november.Items);
        Assert.Equal((a1.ThreadId, a1.CaseNumber, Nov1, 2), (row.ThreadId, row.FirstCaseNumber, row.SecondReceivedOn, row.PetitionCount));
        Assert.Equal(1, november.Total);

        var october = await w.Reports.FirstToRepeatAsync(new RepeatFilter(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)), 0, 20, Ct);
        Assert.Equal(b1.ThreadId, Assert.Single(october.Items).ThreadId);
    }

    [Fact]
    public async Task Ranking_ByTimesPetitionedInThePeriod_FilteredByCategory()
    {
        await using var w = await CreateAsync();
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 10, 1)));
        foreach (var d in new[] { 3, 10, 17 }) await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, d)), a1);
        const string land = "村里修路占用我家耕地，未给补偿";
        var b1 = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: land, category: "自然资源", receivedOn: new DateOnly(2026, 11, 2)));
        await w.RegisterRepeatAsync(w.Draft(name: "李四", id: IdLi, demand: land, category: "自然资源", receivedOn: new DateOnly(2026, 11, 9)), b1);

        var ranked = await w.Reports.RankThreadsAsync(new RepeatFilter(Nov1, Nov30), 0, 20, Ct);
        Assert.Equal([(a1.ThreadId, 3, 4, 3), (b1.ThreadId, 2, 2, 1)],
            ranked.Items.Select(r => (r.ThreadId, r.TimesInPeriod, r.PetitionCount, r.RepeatCount)));

        var land2 = await w.Reports.RankThreadsAsync(new RepeatFilter(Nov1, Nov30, Category: "自然资源"), 0, 20, Ct);
        Assert.Equal(b1.ThreadId, Assert.Single(land2.Items).ThreadId);
    }

    [Fact]
    public async Task RepeatPetitioners_AreThePeopleOnRepeatsInThePeriod()
    {
        await using var w = await CreateAsync();
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 10, 1)));
        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 3)), a1);
        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 13)), a1);
        await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "小区物业乱收费", receivedOn: new DateOnly(2026, 11, 5)));

        var rows = await w.Reports.RepeatPetitionersAsync(new RepeatFilter(Nov1, Nov30), 0, 20, Ct);
        var r = Assert.Single(rows.Items);
        Assert.Equal(("张三", PersonalData.MaskIdNumber(IdZhang), 2, 1, new DateOnly(2026, 11, 13)), (r.Name, r.IdNumber, r.RepeatsInPeriod, r.Threads, r.LastReceivedOn));
        Assert.Contains("********", r.IdNumber);
    }

    [Theory]
    [InlineData(30, true)]  // exactly ClusterDays apart: inside the window
    [InlineData(31, false)] // one day more: outside
    public async Task Cluster_SameMatterDifferentPeople_WithinClusterDays(int daysApart, bool clustered)
    {
        await using var w = await CreateAsync();
        var first = new DateOnly(2026, 10, 1);
        await w.RegisterNewAsync(w.Draft(name: "张三", id: IdZhang, receivedOn: first));
        await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "要求补发、拖欠的工钱。", receivedOn: first.AddDays(daysApart)));

        var report = await w.Reports.ClustersAsync(new RepeatFilter(new DateOnly(2026, 9, 1), Nov30), Ct);

        if (!clustered)
        {
            Assert.Empty(report.Clusters);
            return;
        }
        var c = Assert.Single(report.Clusters);
        Assert.Equal(["张三", "李四"], c.People);
        Assert.Equal((first, first.AddDays(daysApart), 0.5), (c.From, c.To, c.MinSimilarity));
        Assert.Equal((Locality, RepeatWorld.Category), (c.Locality, c.Category));
    }

    [Fact]
    public async Task Cluster_NeedsDifferentPeople_AndASimilarDemand()
    {
        await using var w = await CreateAsync();
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 1)));
        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 10)), a1); // same person: a repeat, not a cluster
        await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "要求补发，拖欠的 工钱啊！", receivedOn: new DateOnly(2026, 11, 12))); // 47 %

        var report = await w.Reports.ClustersAsync(new RepeatFilter(Nov1, Nov30), Ct);
        Assert.Empty(report.Clusters);
        Assert.Equal(3, report.PetitionsCompared);
    }

    [Fact]
    public async Task Cluster_ChainsPetitionsAndListsEveryone()
    {
        await using var w = await CreateAsync();
        await w.RegisterNewAsync(w.Draft(name: "张三", id: IdZhang, receivedOn: new DateOnly(2026, 11, 1)));
        await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, receivedOn: new DateOnly(2026, 11, 2)));
        var joint = w.Draft(receivedOn: new DateOnly(2026, 11, 3));
        joint.Petitioners = [new("王五", IdWang, null), new("赵六", IdZhao, null)];
        joint.PeopleCount = 6;
        await w.RegisterNewAsync(joint);
        await w.RegisterNewAsync(w.Draft(name: "孙七", id: IdSun, demand: "小区物业乱收费", receivedOn: new DateOnly(2026, 11, 4)));

        var c = Assert.Single((await w.Reports.ClustersAsync(new RepeatFilter(Nov1, Nov30), Ct)).Clusters);
        Assert.Equal(["张三", "李四", "王五", "赵六"], c.People);
        Assert.Equal(3, c.Petitions.Count);
        Assert.Equal(8, c.PeopleCount);
    }
}
