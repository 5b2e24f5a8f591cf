using PetitionDashboard.Domain;
using PetitionDashboard.Features.Repeats;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>The candidates an officer sees while typing (docs/rules.md §6), against a real database.</summary>
public class RepeatDetectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SameIdNumber_TypedWithLowerCaseX_FindsTheEarlierPetition_WithReasons()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-40)));

        var typed = w.Draft(name: "张三", id: "11010519491231002x");
        var candidates = await w.Registration.CandidatesAsync(typed, Ct);

        var c = Assert.Single(candidates);
        Assert.Equal(first.CaseNumber, c.CaseNumber);
        Assert.True(c.IsSameMatter);
        Assert.Equal(100, c.SimilarityPercent);
        Assert.Equal(
            ["同一身份证号 110105********002X（张三）", "同一问题属地、同一一级分类（临川区·劳动和社会保障）", "诉求相似度 100%（≥ 50%）"],
            c.Reasons(maskPersonalData: true));
        Assert.Contains("同一身份证号 11010519491231002X（张三）", c.Reasons(maskPersonalData: false));
    }

    [Fact]
    public async Task IdNumberWithAWrongCheckDigit_IsNotAnIdentity_SoNoCandidateByIt()
    {
        await using var w = await CreateAsync();
        await w.RegisterNewAsync(w.Draft());

        // Same digits, last one wrong (…0021): not a valid number, and without a phone the person cannot be identified.
        Assert.Empty(await w.Registration.CandidatesAsync(w.Draft(id: "110105194912310021"), Ct));
    }

    [Fact]
    public async Task WithoutIdNumber_NameAndPhoneIdentifyThePerson_HoweverTheyAreTyped()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(name: "王芳", id: null, phone: "13912345678", receivedOn: Today.AddDays(-10)));

        var sameTypedDifferently = await w.Registration.CandidatesAsync(w.Draft(name: " 王 芳", id: "", phone: "139-1234 5678"), Ct);
        var c = Assert.Single(sameTypedDifferently);
        Assert.Equal(first.CaseNumber, c.CaseNumber);
        Assert.Equal("同一姓名和电话 王芳 139****5678", c.Reasons(maskPersonalData: true)[0]);

        Assert.Empty(await w.Registration.CandidatesAsync(w.Draft(name: "王芳", id: null, phone: "13912345679"), Ct)); // other phone
        Assert.Empty(await w.Registration.CandidatesAsync(w.Draft(name: "王方", id: null, phone: "13912345678"), Ct)); // other name
        Assert.Empty(await w.Registration.CandidatesAsync(w.Draft(name: "王芳", id: null, phone: null), Ct)); // a bare name is nobody
    }

    [Fact]
    public async Task Similarity_ExactlyHalf_IsTheSameMatter_JustBelowIsOnlyAHandLinkCandidate()
    {
        await using var w = await CreateAsync();
        await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-20)));

        // Punctuation and spaces are dropped before the bigrams are compared: 7 shared of 14 → 0.5; 7 of 15 → 0.467.
        const string half = "要求补发、拖欠的工钱。";
        const string below = "要求补发，拖欠的 工钱啊！";
        Assert.Equal(0.5, DemandSimilarity.Jaccard(Wages, half));
        Assert.Equal(7.0 / 15, DemandSimilarity.Jaccard(Wages, below), 10);

        var atHalf = Assert.Single(await w.Registration.CandidatesAsync(w.Draft(demand: half), Ct));
        Assert.True(atHalf.IsSameMatter);
        Assert.Equal("诉求相似度 50%（≥ 50%）", atHalf.Reasons(true)[^1]);

        var underHalf = Assert.Single(await w.Registration.CandidatesAsync(w.Draft(demand: below), Ct));
        Assert.False(underHalf.IsSameMatter);
        Assert.Equal(46, underHalf.SimilarityPercent);
        Assert.Equal("诉求相似度 46%（低于 50%，仅可人工认定）", underHalf.Reasons(true)[^1]);
    }

    [Fact]
    public async Task OtherLocalityOrOtherCategory_IsNotTheSameMatter_AndNotShown()
    {
        await using var w = await CreateAsync();
        await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-5)));

        Assert.Empty(await w.Registration.CandidatesAsync(w.Draft(locality: OtherLocality), Ct));
        Assert.Empty(await w.Registration.CandidatesAsync(w.Draft(category: "城乡建设"), Ct));
    }

    [Fact]
    public async Task OneCandidatePerThread_TheBestPetitionOfTheThreadStandsForIt()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(demand: "要求补发、拖欠的工钱。", receivedOn: Today.AddDays(-60)));
        var repeat = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-30)), first);

        var c = Assert.Single(await w.Registration.CandidatesAsync(w.Draft(), Ct));
        Assert.Equal(repeat.CaseNumber, c.CaseNumber); // 100 % beats 50 %
        Assert.Equal(first.CaseNumber, c.ThreadFirstCaseNumber);
        Assert.Equal(2, c.ThreadPetitionCount);
    }

    [Fact]
    public async Task JointPetition_MatchesThroughAnyOfItsPetitioners()
    {
        await using var w = await CreateAsync();
        var joint = w.Draft(receivedOn: Today.AddDays(-3));
        joint.Petitioners = [new PetitionerDraft("李四", IdLi, null), new PetitionerDraft("王五", IdWang, null)];
        joint.PeopleCount = 2;
        var first = await w.RegisterNewAsync(joint);

        var c = Assert.Single(await w.Registration.CandidatesAsync(w.Draft(name: "王五", id: IdWang), Ct));
        Assert.Equal(first.CaseNumber, c.CaseNumber);
        Assert.Equal("李四、王五", c.PetitionerNames);
        Assert.Equal("王五", Assert.Single(c.SharedPetitioners).Name);
    }
}
