using System.Text.RegularExpressions;

namespace PetitionDashboard.Tests.Architecture;

/// <summary>
/// The rules of docs/architecture.md that a compiler does not check, read from the app's source: feature folders do not
/// depend on each other in a circle, and the parts below the features (Domain, Data, Infrastructure) never name a feature.
/// A source scan sees every kind of reference — <c>using</c>, <c>@using</c> in .razor and _Imports.razor, fully
/// qualified names — where reflection over the assembly would miss references inside method bodies.
/// </summary>
public sealed partial class DependencyTests
{
    private static readonly string App = Path.Combine(RepositoryRoot(), "PetitionDashboard");

    [Fact]
    public void FeatureFolders_HaveNoDependencyCycles()
    {
        var graph = FeatureGraph();
        Assert.True(graph.Count >= 10, $"只找到 {graph.Count} 个功能目录：源码路径不对？");

        var cycles = graph.Keys.Select(f => CycleThrough(f, graph)).OfType<string>().Distinct().ToList();

        Assert.True(cycles.Count == 0, "功能目录之间出现循环依赖（把共用的部分移到 Domain、Data、Infrastructure 或拥有它的功能）：\n"
            + string.Join("\n", cycles));
    }

    [Fact]
    public void CycleDetection_FindsACycle_ThroughAThirdFeature()
    {
        // The check itself: A → B → C → A is reported, a chain A → B → C is not.
        var cyclic = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"] };
        var chain = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = [] };

        Assert.Equal("A → B → C → A", CycleThrough("A", cyclic));
        Assert.Null(CycleThrough("A", chain));
    }

    [Theory]
    [InlineData("Domain")]
    [InlineData("Data")]
    [InlineData("Infrastructure")]
    public void PartsBelowTheFeatures_NeverNameAFeature(string part)
    {
        var offending = SourceFiles(Path.Combine(App, part))
            .Where(f => UpperLayer().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(App, f))
            .ToList();

        Assert.True(offending.Count == 0, $"{part} 引用了功能、组件或命令行：{string.Join("、", offending)}");
    }

    /// <summary>Feature folder → the other feature folders its files name.</summary>
    private static Dictionary<string, HashSet<string>> FeatureGraph()
    {
        var features = Path.Combine(App, "Features");
        return Directory.GetDirectories(features).Select(Path.GetFileName).OfType<string>().ToDictionary(
            f => f,
            f => SourceFiles(Path.Combine(features, f))
                .SelectMany(file => FeatureReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
                .Where(other => other != f)
                .ToHashSet());
    }

    /// <summary>A cycle that starts and ends at <paramref name="start"/>, written "A → B → A"; null if there is none.</summary>
    private static string? CycleThrough(string start, IReadOnlyDictionary<string, HashSet<string>> graph)
    {
        var path = new List<string> { start };
        var seen = new HashSet<string>();
        return Walk(start);

        string? Walk(string node)
        {
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (next == start) return string.Join(" → ", path.Append(start));
                if (!seen.Add(next)) continue;
                path.Add(next);
                if (Walk(next) is { } found) return found;
                path.RemoveAt(path.Count - 1);
            }
            return null;
        }
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PetitionDashboard.sln"))) return dir.FullName;
        throw new InvalidOperationException("找不到 PetitionDashboard.sln：测试须在源码目录中运行");
    }

    [GeneratedRegex(@"\bPetitionDashboard\.Features\.([A-Za-z]+)")]
    private static partial Regex FeatureReference();

    [GeneratedRegex(@"\bPetitionDashboard\.(Features|Components|CommandLine)\b")]
    private static partial Regex UpperLayer();
}
