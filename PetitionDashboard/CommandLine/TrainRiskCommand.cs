using PetitionDashboard.Data;
using PetitionDashboard.Features.Risk;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>train-risk</c>: the weekly risk job's work now — train on the history before the cut-off, evaluate on the next
/// period against the baseline, store the model (deployed only when it beats the baseline), score the open 初件 — and
/// print the evaluation.
/// </summary>
public sealed class TrainRiskCommand(RiskTrainer trainer, DatabaseInitializer initializer) : ICommandLineCommand
{
    public static string Name => "train-risk";

    public static string Summary => "训练初转重风险模型（同每周定时任务），打印评估结果并为在办初件评分";

    public static IReadOnlyList<CommandOption> Options { get; } = [];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        await initializer.InitializeAsync(loadDemo: false, ct);
        var result = await trainer.TrainAsync("命令行", ct);
        foreach (var line in result.Lines()) output.Out.WriteLine(line);
        return ExitCodes.Success;
    }
}
