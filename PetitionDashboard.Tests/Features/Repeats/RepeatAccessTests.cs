using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;

using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>§10 on the server: who may register, link and read the repeats lists — each service called directly.</summary>
public class RepeatAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.SystemAdmin)]
    public async Task OnlyDutyOfficers_RegisterLinkAndUnlink(string role)
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-10)));
        var p2 = await w.RegisterRepeatAsync(w.Draft(), p1);
        var other = w.As(FixedCurrentUser.For("u-" + role, [role]));

        await Refused.NotAllowedAsync(() => other.RegisterNewAsync(other.Draft(name: "李四", id: IdLi)));
        await Refused.NotAllowedAsync(() => other.Registration.CandidatesAsync(other.Draft(), Ct));
        await Refused.NotAllowedAsync(() => other.Linking.UnlinkAsync(p2.PetitionId, "误判", Ct));
        await Refused.NotAllowedAsync(() => other.Linking.LinkAsync(p2.PetitionId, p1.PetitionId, "关联", Ct));
        await Refused.NotAllowedAsync(() => other.Detection.RescanAsync(p2.PetitionId, Ct));
        Assert.Equal(2, (await w.ThreadAsync(p1.ThreadId)).PetitionCount);
    }

    [Theory]
    [InlineData(Roles.Leader, true)]
    [InlineData(Roles.Supervisor, true)]
    [InlineData(Roles.DutyOfficer, true)]
    [InlineData(Roles.SystemAdmin, false)]
    public async Task RepeatsListsAndThreads_AreForTheDashboardRoles(string role, bool allowed)
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft());
        var other = w.As(FixedCurrentUser.For("u-" + role, [role]));
        var filter = new RepeatFilter(Today.AddDays(-30), Today);

        Task[] calls =
        [
            other.Reports.RankThreadsAsync(filter, 0, 10, Ct), other.Reports.FirstToRepeatAsync(filter, 0, 10, Ct),
            other.Reports.RepeatPetitionersAsync(filter, 0, 10, Ct), other.Reports.ClustersAsync(filter, Ct),
            other.Threads.GetAsync(p1.ThreadId, Ct),
        ];
        foreach (var call in calls)
        {
            if (allowed) await call;
            else await Refused.NotAllowedAsync(() => call);
        }
    }
}
