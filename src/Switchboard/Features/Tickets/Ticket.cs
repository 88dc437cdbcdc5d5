using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;

namespace Switchboard.Features.Tickets;

public enum TicketStatus
{
    Open,
    InProgress,
    Resolved,
    Closed,
}

/// <summary>Stored as its rank, so ordering by priority is low &lt; medium &lt; high &lt; urgent and can use an index.</summary>
public enum TicketPriority
{
    Low = 0,
    Medium = 1,
    High = 2,
    Urgent = 3,
}

public enum TicketType
{
    Task,
    Bug,
    Feature,
    Question,
}

public sealed class Ticket
{
    public int Id { get; set; }
    public int ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public int Number { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public TicketStatus Status { get; set; }
    public TicketPriority Priority { get; set; } = TicketPriority.Medium;
    public TicketType Type { get; set; }
    public int ReporterId { get; set; }
    public User Reporter { get; set; } = null!;
    public int? AssigneeId { get; set; }
    public User? Assignee { get; set; }
    public DateOnly? DueDate { get; set; }
    /// <summary>Kept in step with the comments table in the same transaction as every comment change.</summary>
    public int CommentCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public List<TicketLabel> Labels { get; set; } = [];
    /// <summary>The chat message it was made from, if any.</summary>
    public TicketsInChat.TicketSource? Source { get; set; }
    /// <summary>The chat thread that is its discussion, if any.</summary>
    public TicketsInChat.TicketDiscussion? Discussion { get; set; }

    public bool IsDone => Status is TicketStatus.Resolved or TicketStatus.Closed;
}

public sealed class TicketLabel
{
    public int TicketId { get; set; }
    /// <summary>The label as first written.</summary>
    public required string Label { get; set; }
    /// <summary>Lower-invariant: labels are unique per ticket and filtered case-insensitively.</summary>
    public required string Normalized { get; set; }

    public static string Normalize(string label) => label.ToLowerInvariant();
}

public sealed class TicketComment
{
    public int Id { get; set; }
    public int TicketId { get; set; }
    public Ticket Ticket { get; set; } = null!;
    public int AuthorId { get; set; }
    public User Author { get; set; } = null!;
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public bool IsEdited { get; set; }
}

public sealed class TicketHistoryEntry
{
    public long Id { get; set; }
    public int TicketId { get; set; }
    public int ActorId { get; set; }
    public User Actor { get; set; } = null!;
    public required string Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class TicketWatcher
{
    public int TicketId { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
}

public sealed class TicketAttachment
{
    public int Id { get; set; }
    /// <summary>The id in download URLs: random, so links cannot be guessed from the sequential id.</summary>
    public required string PublicId { get; set; }
    public int TicketId { get; set; }
    public Ticket Ticket { get; set; } = null!;
    public required string StorageKey { get; set; }
    public required string FileName { get; set; }
    public long FileSize { get; set; }
    /// <summary>The sniffed image type, or application/octet-stream for everything else.</summary>
    public required string ContentType { get; set; }
    public int UploadedById { get; set; }
    public User UploadedBy { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
}

public static class TicketEnums
{
    public static string ToWire(this TicketStatus s) => s switch
    {
        TicketStatus.InProgress => "in_progress",
        TicketStatus.Resolved => "resolved",
        TicketStatus.Closed => "closed",
        _ => "open",
    };

    public static string ToWire(this TicketPriority p) => p switch
    {
        TicketPriority.Low => "low",
        TicketPriority.High => "high",
        TicketPriority.Urgent => "urgent",
        _ => "medium",
    };

    public static string ToWire(this TicketType t) => t switch
    {
        TicketType.Bug => "bug",
        TicketType.Feature => "feature",
        TicketType.Question => "question",
        _ => "task",
    };

    public static readonly string[] Statuses = ["open", "in_progress", "resolved", "closed"];
    public static readonly string[] Priorities = ["low", "medium", "high", "urgent"];
    public static readonly string[] Types = ["task", "bug", "feature", "question"];

    public static bool TryParseStatus(string? s, out TicketStatus value) => TryParse(s, Statuses, out value);
    public static bool TryParsePriority(string? s, out TicketPriority value) => TryParse(s, Priorities, out value);
    public static bool TryParseType(string? s, out TicketType value) => TryParse(s, Types, out value);

    // The wire lists are in enum order, so the index is the value.
    private static bool TryParse<T>(string? s, string[] names, out T value) where T : struct, Enum
    {
        var index = s is null ? -1 : Array.IndexOf(names, s);
        value = index >= 0 ? (T)Enum.ToObject(typeof(T), index) : default;
        return index >= 0;
    }

    public static string Choices(string[] names) =>
        string.Join(", ", names[..^1]) + " or " + names[^1];
}

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.ToTable("tickets");
        b.Property(t => t.Title).HasMaxLength(200);
        b.Property(t => t.Description).HasMaxLength(20_000);
        b.Property(t => t.Status).HasConversion(s => s.ToWire(), s => ParseStatus(s)).HasMaxLength(20);
        b.Property(t => t.Type).HasConversion(s => s.ToWire(), s => ParseType(s)).HasMaxLength(20);
        b.Property(t => t.Priority).HasConversion<int>();
        b.HasOne(t => t.Project).WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.Reporter).WithMany().HasForeignKey(t => t.ReporterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(t => t.Assignee).WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(t => t.Labels).WithOne().HasForeignKey(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);

        // One index per filter and ordering the list offers, each led by the project (every list is scoped by it).
        b.HasIndex(t => new { t.ProjectId, t.Number }).IsUnique();
        b.HasIndex(t => new { t.ProjectId, t.Status });
        b.HasIndex(t => new { t.ProjectId, t.AssigneeId });
        b.HasIndex(t => new { t.ProjectId, t.ReporterId });
        b.HasIndex(t => new { t.ProjectId, t.Priority });
        b.HasIndex(t => new { t.ProjectId, t.Type });
        b.HasIndex(t => new { t.ProjectId, t.CreatedAt });
        b.HasIndex(t => new { t.ProjectId, t.UpdatedAt });
        b.HasIndex(t => new { t.ProjectId, t.DueDate });
        // "My open tickets, most urgent first" across all of the caller's projects: on PostgreSQL a
        // covering index answers both the count and the ordered page without touching the table.
        b.HasIndex(t => new { t.AssigneeId, t.Status, t.Priority, t.Id }).IncludeProperties(t => t.ProjectId);
        b.HasIndex(t => t.ReporterId);
    }

    // Internal, not private: the compiled model (Data/CompiledModels) calls them.
    internal static TicketStatus ParseStatus(string s) => TicketEnums.TryParseStatus(s, out var v) ? v : TicketStatus.Open;
    internal static TicketType ParseType(string s) => TicketEnums.TryParseType(s, out var v) ? v : TicketType.Task;
}

internal sealed class TicketLabelConfiguration : IEntityTypeConfiguration<TicketLabel>
{
    public void Configure(EntityTypeBuilder<TicketLabel> b)
    {
        b.ToTable("ticket_labels");
        b.HasKey(l => new { l.TicketId, l.Normalized });
        b.Property(l => l.Label).HasMaxLength(50);
        b.Property(l => l.Normalized).HasMaxLength(50);
        b.HasIndex(l => l.Normalized);
    }
}

internal sealed class TicketCommentConfiguration : IEntityTypeConfiguration<TicketComment>
{
    public void Configure(EntityTypeBuilder<TicketComment> b)
    {
        b.ToTable("ticket_comments");
        b.Property(c => c.Body).HasMaxLength(10_000);
        b.HasOne(c => c.Ticket).WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(c => c.Author).WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.TicketId, c.Id });
    }
}

internal sealed class TicketHistoryConfiguration : IEntityTypeConfiguration<TicketHistoryEntry>
{
    public void Configure(EntityTypeBuilder<TicketHistoryEntry> b)
    {
        b.ToTable("ticket_history");
        b.Property(h => h.Field).HasMaxLength(30);
        b.HasOne<Ticket>().WithMany().HasForeignKey(h => h.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(h => h.Actor).WithMany().HasForeignKey(h => h.ActorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(h => new { h.TicketId, h.Id });
    }
}

internal sealed class TicketWatcherConfiguration : IEntityTypeConfiguration<TicketWatcher>
{
    public void Configure(EntityTypeBuilder<TicketWatcher> b)
    {
        b.ToTable("ticket_watchers");
        b.HasKey(w => new { w.TicketId, w.UserId });
        b.HasOne<Ticket>().WithMany().HasForeignKey(w => w.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(w => w.User).WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(w => w.UserId);
    }
}

internal sealed class TicketAttachmentConfiguration : IEntityTypeConfiguration<TicketAttachment>
{
    public void Configure(EntityTypeBuilder<TicketAttachment> b)
    {
        b.ToTable("ticket_attachments");
        b.Property(a => a.PublicId).HasMaxLength(64);
        b.HasIndex(a => a.PublicId).IsUnique();
        b.Property(a => a.StorageKey).HasMaxLength(128);
        b.Property(a => a.FileName).HasMaxLength(255);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.HasOne(a => a.Ticket).WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(a => a.UploadedBy).WithMany().HasForeignKey(a => a.UploadedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.TicketId, a.Id });
    }
}
