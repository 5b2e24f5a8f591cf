namespace PetitionDashboard.Domain;

/// <summary>
/// The password rules of docs/rules.md §10 that need no history: length, character classes, not the user name. Each
/// problem is a Chinese sentence naming its rule. The "none of the last N" rule needs the stored hashes and lives in
/// the account feature's validator.
/// </summary>
public static class PasswordRules
{
    public const int RequiredClasses = 3;

    public static IReadOnlyList<string> Check(string password, string? userName, int minLength)
    {
        var problems = new List<string>();
        if (password.Length < minLength) problems.Add($"密码长度：至少 {minLength} 个字符（当前 {password.Length} 个）。");
        var classes = Classes(password);
        if (classes < RequiredClasses)
            problems.Add($"密码字符种类：大写字母、小写字母、数字、符号四类中至少包含 {RequiredClasses} 类（当前 {classes} 类）。");
        if (!string.IsNullOrWhiteSpace(userName) && password.Contains(userName.Trim(), StringComparison.OrdinalIgnoreCase))
            problems.Add("密码内容：不能包含用户名。");
        return problems;
    }

    /// <summary>How many of upper-case, lower-case, digits and symbols (anything else) occur.</summary>
    public static int Classes(string password)
    {
        bool upper = false, lower = false, digit = false, symbol = false;
        foreach (var c in password)
        {
            if (char.IsAsciiLetterUpper(c)) upper = true;
            else if (char.IsAsciiLetterLower(c)) lower = true;
            else if (char.IsAsciiDigit(c)) digit = true;
            else symbol = true;
        }
        return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);
    }
}
