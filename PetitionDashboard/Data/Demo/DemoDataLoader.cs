using Microsoft.Extensions.Options;

namespace PetitionDashboard.Data.Demo;

/// <summary>
/// Loads the demo city at web start-up (docs/rules.md §7): only while Demo:Enabled is true — or not set and the app runs in
/// Development — only into the embedded SQLite database, and only when that database holds no petitions, units or other
/// case data — never over real data.
/// The command-line commands never call it.
/// </summary>
public sealed class DemoDataLoader(
    DemoData demo, IOptions<DemoOptions> options, IOptions<DatabaseOptions> database, IHostEnvironment environment, ILogger<DemoDataLoader> log)
{
    /// <summary>Below this many petitions a load is quick and logs only its result.</summary>
    private const int ProgressLogThreshold = 50_000;

    /// <summary>True when demo data was written.</summary>
    public async Task<bool> LoadIfEmptyAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        if (o.Enabled is null && !environment.IsDevelopment())
        {
            log.LogInformation("运行环境为 {Environment}，未设置 Demo:Enabled：不加载演示数据（如需演示数据，请显式设置 Demo:Enabled=true）",
                environment.EnvironmentName);
            return false;
        }
        if (o.Enabled == false)
        {
            log.LogInformation("演示数据未启用（Demo:Enabled = false），不加载演示数据");
            return false;
        }
        if (database.Value.Provider != DatabaseProvider.Sqlite)
        {
            log.LogInformation("当前数据库为 {Provider}：演示数据只加载到内置 SQLite 数据库，不加载演示数据", database.Value.Provider);
            return false;
        }
        var existing = await demo.ExistingDataAsync(ct);
        if (existing.Count > 0)
        {
            log.LogInformation("数据库中已有数据（{Existing}），不加载演示数据", string.Join("、", existing));
            return false;
        }

        var petitions = Math.Clamp(o.Petitions, 1, DemoOptions.MaxPetitions);
        log.LogInformation("数据库为空：开始生成演示数据（临川市，{Petitions} 件信访件，随机种子 {Seed}）", petitions, o.Seed);
        var lastTenth = 0;
        var result = await demo.GenerateAsync(petitions, o.Seed, p =>
        {
            var tenth = (int)(p.Share * 10);
            if (p.Total < ProgressLogThreshold || tenth <= lastTenth) return;
            lastTenth = tenth;
            log.LogInformation("演示数据：已写入 {Written} / {Total} 件（{Share:P0}），用时 {Seconds:F1} 秒",
                p.Petitions, p.Total, p.Share, p.Elapsed.TotalSeconds);
        }, ct);
        log.LogInformation(
            "演示数据已加载：单位 {Units} 个、领导 {Leaders} 人、信访人 {Petitioners} 人、信访事项链 {Threads} 条、信访件 {Petitions} 件、" +
            "事件 {Events} 条、领导包案 {Assignments} 件，用时 {Seconds:F1} 秒",
            result.Units, result.Leaders, result.Petitioners, result.Threads, result.Petitions, result.Events, result.Assignments,
            result.Elapsed.TotalSeconds);
        return true;
    }
}
