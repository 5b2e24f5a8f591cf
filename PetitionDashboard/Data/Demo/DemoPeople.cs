using System.Text;

namespace PetitionDashboard.Data.Demo;

/// <summary>Realistic names, 身份证号 and phone numbers for generated people; all draws come from the caller's random source.</summary>
internal static class DemoPeople
{

    private static readonly DateOnly FirstBirthDate = new(1945, 1, 1);
    private const int BirthDays = 21_915; // 1945-01-01 … 2004-12-31
    private const int SequencesPerSex = 500;
    private const long IdSpace = (long)BirthDays * SequencesPerSex;
    // Coprime to IdSpace (≈ 0.618 × IdSpace): index → (birth date, sequence) is one-to-one and consecutive people differ in age.
    private const long IdScramble = 6_772_127;

    public static string Name(Random rng, out bool male)
    {
        male = rng.NextDouble() < 0.55;
        var surnames = DemoCity.Surnames;
        // Frequent surnames first: squaring the draw favours the head of the list.
        var surname = surnames[(int)(surnames.Count * Math.Pow(rng.NextDouble(), 2.2))];
        var pool = male ? DemoCity.GivenMaleChars : DemoCity.GivenFemaleChars;
        var given = rng.NextDouble() < 0.72
            ? string.Concat(pool[rng.Next(pool.Length)], pool[rng.Next(pool.Length)])
            : pool[rng.Next(pool.Length)].ToString();
        return surname + given;
    }

    /// <summary>
    /// An 18-digit 居民身份证号 (GB 11643): area code, birth date, sequence (odd for men) and check character.
    /// Distinct indexes give distinct numbers, so no two generated people share one.
    /// </summary>
    public static string IdNumber(string areaCode, int index, bool male)
    {
        var k = (index * IdScramble) % IdSpace;
        var birth = FirstBirthDate.AddDays((int)(k / SequencesPerSex));
        var sequence = (int)(k % SequencesPerSex) * 2 + (male ? 1 : 0);
        var body = $"{areaCode}{birth:yyyyMMdd}{sequence:000}";
        return body + Domain.ChineseIdNumber.CheckCharacter(body);
    }

    /// <summary>A mainland mobile number 1[3-9]x xxxx xxxx.</summary>
    public static string Phone(Random rng)
    {
        var sb = new StringBuilder(11);
        sb.Append('1').Append((char)('3' + rng.Next(7)));
        for (var i = 0; i < 9; i++) sb.Append((char)('0' + rng.Next(10)));
        return sb.ToString();
    }
}
