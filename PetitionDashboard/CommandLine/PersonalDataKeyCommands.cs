using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Infrastructure.Progress;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>create-key [--file PATH]</c>: creates the key file that protects 身份证号 and phone numbers (0600), or adds a new current
/// key to it; the database is not touched. Step 1 of a rotation; step 2, after every node has restarted with the file, is
/// <c>rotate-keys</c>.
/// </summary>
public sealed class CreateKeyCommand(IOptions<PersonalDataOptions> options) : ICommandLineCommand
{
    public static string Name => "create-key";

    public static string Summary => "生成个人信息加密密钥文件，或向其中添加新密钥并设为当前密钥（不改动数据库）";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("file", "密钥文件", "密钥文件路径（默认为 PersonalData:KeyFile）"),
    ];

    public Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        var file = arguments.Text("file") ?? options.Value.KeyFile;
        if (string.IsNullOrWhiteSpace(file)) throw new CommandUsageException("缺少 --file：请给出密钥文件的路径（或设置 PersonalData:KeyFile）");
        var existed = File.Exists(file);
        var id = PersonalDataKeyRing.AddKey(file);
        output.Out.WriteLine(existed
            ? $"已向 {Path.GetFullPath(file)} 添加新密钥 {id} 并设为当前密钥；旧密钥仍保留，用于读取旧数据。"
            : $"已创建密钥文件 {Path.GetFullPath(file)}（仅本用户可读写），当前密钥 {id}。");
        output.Out.WriteLine("请以 PersonalData:KeyFile（环境变量 PersonalData__KeyFile）指向该文件，所有节点使用同一文件，并另行妥善备份（不要与数据库放在同一备份中）。");
        if (existed) output.Out.WriteLine("所有节点以新文件重启后，运行 rotate-keys 用新密钥重新加密已有数据；完成后旧密钥方可删除。");
        return Task.FromResult(ExitCodes.Success);
    }
}

/// <summary>
/// <c>rotate-keys</c>: re-encrypts and re-hashes every petitioner not yet under the current key, in batches (one transaction
/// each), printing progress. Idempotent and resumable: a second run, or a run after an interruption, does only what is left.
/// </summary>
public sealed class RotateKeysCommand(DatabaseInitializer initializer, PersonalDataRewrap rewrap, PersonalDataProtector protector)
    : ICommandLineCommand
{
    public static string Name => "rotate-keys";

    public static string Summary => "用当前密钥重新加密身份证号、联系电话并重新计算重复识别键（可中断后重跑）";

    public static IReadOnlyList<CommandOption> Options { get; } = [];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        await initializer.InitializeAsync(loadDemo: false, ct);
        var remaining = await rewrap.RemainingAsync(ct);
        if (remaining == 0)
        {
            output.Out.WriteLine($"所有信访人的个人信息已在当前密钥 {protector.CurrentKeyId} 下，无需重新加密。");
            return ExitCodes.Success;
        }
        output.Out.WriteLine($"当前密钥 {protector.CurrentKeyId}：{remaining} 名信访人待重新加密……");
        var progress = new InlineProgress<RewrapProgress>(p => output.Out.WriteLine($"  已完成 {p.Done}/{p.Total}"));
        var done = await rewrap.RotateAsync(progress, ct);
        output.Out.WriteLine($"完成：{done} 名信访人已用密钥 {protector.CurrentKeyId} 重新加密、重新计算重复识别键。确认所有节点均已使用新密钥文件后，旧密钥可从文件中删除。");
        return ExitCodes.Success;
    }
}
