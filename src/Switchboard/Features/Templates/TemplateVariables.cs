using System.Text.RegularExpressions;

namespace Switchboard.Features.Templates;

/// <summary>
/// Fills <c>{{name}}</c> variables. A variable that is unknown, or known but without a value here
/// (no room or ticket given), stays exactly as written and is reported, so the user sees what to fill in.
/// </summary>
public static partial class TemplateVariables
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "me.name", "room.name", "ticket.key", "ticket.title", "ticket.status", "ticket.assignee", "ticket.url",
    };

    public static RenderedTemplateDto Render(string content, IReadOnlyDictionary<string, string> values)
    {
        var missing = new List<string>();
        var rendered = Variable().Replace(content, match =>
        {
            var name = match.Groups["name"].Value;
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }
            if (!missing.Contains(name))
            {
                missing.Add(name);
            }
            return match.Value;
        });
        return new RenderedTemplateDto(rendered, missing);
    }

    // Spaces inside the braces are allowed ({{ me.name }}); names are dotted lower-case words.
    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*\}\}")]
    private static partial Regex Variable();
}
