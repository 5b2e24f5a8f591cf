using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Scoring;

namespace PetitionDashboard.Tests.Support;

/// <summary>The scoring scheme store as the app builds it; <paramref name="scoring"/> stands for `Scoring:Scheme`.</summary>
public static class TestScoring
{
    public static ScoringSchemeStore Store(StatisticsOptions? statistics = null, ReportOptions? report = null, ScoringOptions? scoring = null) =>
        new(Options.Create(scoring ?? new ScoringOptions()), Options.Create(statistics ?? new StatisticsOptions()), Options.Create(report ?? new ReportOptions()));
}
