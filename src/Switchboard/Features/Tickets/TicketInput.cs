using System.Globalization;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Tickets;

/// <summary>A value a PATCH may or may not carry: absent leaves the field alone, present (even null) sets it.</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static Optional<T> Unset => default;
}

/// <summary>
/// The writable fields of a ticket, read from a JSON object by hand so that "absent" and "null" differ
/// (null unassigns, clears the due date) and every wrong type is named in <c>errors</c>. Fields a
/// client may not set (reporter, number, key, created_at, comment_count, resolved_at...) are ignored.
/// </summary>
public sealed class TicketInput
{
    public const int TitleMax = 200;
    public const int DescriptionMax = 20_000;
    public const int LabelMax = 50;
    public const int LabelsMax = 20;

    /// <summary>The names of every property the body carried, valid or not.</summary>
    public HashSet<string> Present { get; } = new(StringComparer.Ordinal);
    public Optional<int> Project { get; private set; }
    public Optional<string> Title { get; private set; }
    public Optional<string> Description { get; private set; }
    public Optional<TicketStatus> Status { get; private set; }
    public Optional<TicketPriority> Priority { get; private set; }
    public Optional<TicketType> Type { get; private set; }
    public Optional<int?> AssigneeId { get; private set; }
    public Optional<List<string>> Labels { get; private set; }
    public Optional<DateOnly?> DueDate { get; private set; }

    public static TicketInput Read(JsonElement body, FieldErrors errors)
    {
        var input = new TicketInput();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("non_field_errors", "Send a JSON object.");
            return input;
        }
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            input.Present.Add(property.Name);
            switch (property.Name)
            {
                case "project":
                    input.Project = ReadId(errors, "project", value, allowNull: false) is { } p ? new(true, p) : default;
                    break;
                case "title":
                    if (ReadString(errors, "title", value) is { } title && errors.Text("title", title, TitleMax, allowBlank: false) is { } t)
                    {
                        input.Title = new(true, t);
                    }
                    break;
                case "description":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        input.Description = new(true, "");
                    }
                    else if (ReadString(errors, "description", value) is { } d && errors.Text("description", d, DescriptionMax) is { } desc)
                    {
                        input.Description = new(true, desc);
                    }
                    break;
                case "status":
                    if (TicketEnums.TryParseStatus(ReadChoice(value), out var status))
                    {
                        input.Status = new(true, status);
                    }
                    else
                    {
                        errors.Add("status", Invalid(value, TicketEnums.Statuses));
                    }
                    break;
                case "priority":
                    if (TicketEnums.TryParsePriority(ReadChoice(value), out var priority))
                    {
                        input.Priority = new(true, priority);
                    }
                    else
                    {
                        errors.Add("priority", Invalid(value, TicketEnums.Priorities));
                    }
                    break;
                case "type":
                    if (TicketEnums.TryParseType(ReadChoice(value), out var type))
                    {
                        input.Type = new(true, type);
                    }
                    else
                    {
                        errors.Add("type", Invalid(value, TicketEnums.Types));
                    }
                    break;
                case "assignee_id":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        input.AssigneeId = new(true, null);
                    }
                    else if (ReadId(errors, "assignee_id", value, allowNull: true) is { } a)
                    {
                        input.AssigneeId = new(true, a);
                    }
                    break;
                case "labels":
                    if (ReadLabels(errors, value) is { } labels)
                    {
                        input.Labels = new(true, labels);
                    }
                    break;
                case "due_date":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        input.DueDate = new(true, null);
                    }
                    else if (value.ValueKind == JsonValueKind.String &&
                             DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
                    {
                        input.DueDate = new(true, due);
                    }
                    else
                    {
                        errors.Add("due_date", "Date has wrong format. Use YYYY-MM-DD.");
                    }
                    break;
                default:
                    // Read-only and unknown fields are ignored, as a DRF serializer does.
                    break;
            }
        }
        return input;
    }

    private static string? ReadString(FieldErrors errors, string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }
        errors.Add(field, value.ValueKind == JsonValueKind.Null ? "This field may not be null." : "Not a valid string.");
        return null;
    }

    private static string? ReadChoice(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Invalid(JsonElement value, string[] choices)
    {
        var shown = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (shown.Length > 40)
        {
            shown = shown[..40] + "…";
        }
        return $"\"{shown}\" is not a valid choice. Choose {TicketEnums.Choices(choices)}.";
    }

    private static int? ReadId(FieldErrors errors, string field, JsonElement value, bool allowNull)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id > 0)
        {
            return id;
        }
        errors.Add(field, value.ValueKind == JsonValueKind.Null && !allowNull ? "This field may not be null." : "A valid positive integer id is required.");
        return null;
    }

    /// <summary>Trimmed, each 1–50 characters, deduplicated case-insensitively (the first spelling wins), at most 20.</summary>
    private static List<string>? ReadLabels(FieldErrors errors, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("labels", "Expected a list of strings.");
            return null;
        }
        var labels = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add("labels", "Each label must be a string.");
                return null;
            }
            var label = item.GetString()!.Trim();
            if (label.Length is 0 or > LabelMax)
            {
                errors.Add("labels", $"Each label must have 1 to {LabelMax} characters.");
                return null;
            }
            if (seen.Add(TicketLabel.Normalize(label)))
            {
                labels.Add(label);
            }
        }
        if (labels.Count > LabelsMax)
        {
            errors.Add("labels", $"A ticket can have at most {LabelsMax} labels.");
            return null;
        }
        return labels;
    }
}
