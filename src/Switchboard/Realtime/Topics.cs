namespace Switchboard.Realtime;

/// <summary>
/// Who may subscribe to a topic, answered by the feature that owns the topic's prefix
/// (<c>project:</c>, <c>ticket:</c>). Registered once per prefix.
/// </summary>
public interface ITopicAccess
{
    /// <summary>The prefix before the colon, e.g. <c>ticket</c>.</summary>
    string Prefix { get; }

    /// <returns>
    /// The project the topic belongs to when <paramref name="userId"/> may see it (its
    /// subscription ends when they leave that project), or null: unknown, or not theirs (both not_found).
    /// </returns>
    Task<int?> ProjectOfAsync(int userId, int id, CancellationToken ct);
}

public static class Topics
{
    public const int MaxPerFrame = 100;
    public const int MaxPerSocket = 1000;

    /// <summary>Splits <c>prefix:id</c>; false for anything else (unknown prefixes are the caller's to reject).</summary>
    public static bool TryParse(string? topic, out string prefix, out int id)
    {
        prefix = "";
        id = 0;
        if (topic is null || topic.Length > 40)
        {
            return false;
        }
        var colon = topic.IndexOf(':');
        if (colon <= 0 || !int.TryParse(topic.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out id) || id <= 0)
        {
            return false;
        }
        prefix = topic[..colon];
        // One spelling per topic: "ticket:042" would be a second name for "ticket:42".
        return topic == $"{prefix}:{id}";
    }
}
