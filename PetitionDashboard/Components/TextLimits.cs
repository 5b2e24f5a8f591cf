using PetitionDashboard.Domain;

namespace PetitionDashboard.Components;

/// <summary>
/// The length rule of a text box as a MudBlazor field validation: it runs on every change (each keystroke or paste), so
/// the message "诉求摘要：不能超过2000字" shows every time the text is too long — a computed <c>Error</c> parameter that
/// stays true is not re-applied by MudBlazor after the user edits the field again.
/// </summary>
public static class TextLimits
{
    public static Func<string?, string?> Rule(string field, int max) => text => FieldLengths.TooLong(field, text, max);

}
