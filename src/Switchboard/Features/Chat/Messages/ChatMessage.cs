using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Messages;

public enum MessageType
{
    Text,
    Image,
    File,
    // Written by the server only (voice notes, room events); clients cannot send or edit them as such.
    Voice,
    System,
}

public sealed class ChatMessage
{
    public const int MaxContentLength = 10_000;
    public const int MaxClientIdLength = 64;

    public int Id { get; set; }
    public int RoomId { get; set; }
    public ChatRoom Room { get; set; } = null!;
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public string Content { get; set; } = "";
    public MessageType Type { get; set; }
    /// <summary>The generated name in <see cref="Infrastructure.Storage.IFileStorage"/>; never shown to clients.</summary>
    public string? AttachmentKey { get; set; }
    /// <summary>The unguessable id in the attachment's URL.</summary>
    public string? AttachmentPublicId { get; set; }
    public string? AttachmentName { get; set; }
    public long? AttachmentSize { get; set; }
    /// <summary>The sniffed image type, or null for anything that is served as a download.</summary>
    public string? AttachmentContentType { get; set; }
    public string? ThumbnailKey { get; set; }
    /// <summary>A voice message's length as the server measured it from the file; null for other types.</summary>
    public int? DurationMs { get; set; }
    /// <summary>A voice message's bar heights (0-255) as the client drew them; null for other types.</summary>
    public byte[]? Waveform { get; set; }
    public string? ClientId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public bool IsEdited { get; set; }
    public DateTime? EditedAt { get; set; }
    public int? PinnedById { get; set; }
    public User? PinnedBy { get; set; }
    public DateTime? PinnedAt { get; set; }
    public List<MessageReaction> Reactions { get; set; } = [];

    /// <summary>System and voice messages carry server-written content that nobody may change.</summary>
    public bool IsEditable => Type is MessageType.Text or MessageType.Image or MessageType.File;

    // Threads (one level deep): a reply names its root; the root keeps its summary so that a page
    // of roots needs no query per row. Written in the reply's transaction (ThreadSummary).
    public int? ThreadRootId { get; set; }
    public ChatMessage? ThreadRoot { get; set; }
    public bool AlsoSendToRoom { get; set; }
    public int ReplyCount { get; set; }
    public DateTime? LastReplyAt { get; set; }
    /// <summary>Up to 10 user ids, comma-separated, the latest replier first.</summary>
    public string? ThreadParticipantIds { get; set; }

    // Mentions as parsed when the message was sent or last edited (Mentions.Parse).
    /// <summary>The mentioned participants' ids, comma-separated, in the order written.</summary>
    public string? MentionUserIds { get; set; }
    public bool MentionsRoom { get; set; }
    public bool MentionsHere { get; set; }

    /// <summary>A deleted root with replies stays as a placeholder so that its thread stays readable.</summary>
    public bool IsDeleted { get; set; }

    /// <summary>
    /// A <see cref="MessageType.System"/> message's structured event (<c>{"kind": ..., ...}</c>) as JSON,
    /// so that clients can render it richly; null for every other type.
    /// </summary>
    public string? EventJson { get; set; }
}

/// <summary>
/// A user mentioned by a message, directly or through @room/@here: what <c>mention_count</c>
/// counts. Rows are only added (an edit that removes a mention does not un-notify).
/// </summary>
public sealed class MessageMention
{
    public int MessageId { get; set; }
    public ChatMessage Message { get; set; } = null!;
    public int UserId { get; set; }
    public int RoomId { get; set; }
}

/// <summary>An earlier version of an edited message, kept when the edit replaced it.</summary>
public sealed class MessageVersion
{
    public int Id { get; set; }
    public int MessageId { get; set; }
    public ChatMessage Message { get; set; } = null!;
    public string Content { get; set; } = "";
    /// <summary>When this version was replaced by the next one.</summary>
    public DateTime EditedAt { get; set; }
}

public sealed class MessageReaction
{
    public int Id { get; set; }
    public int MessageId { get; set; }
    public ChatMessage Message { get; set; } = null!;
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public string Emoji { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public static class MessageTypes
{
    public static string ToWire(this MessageType type) => type switch
    {
        MessageType.Image => "image",
        MessageType.File => "file",
        MessageType.Voice => "voice",
        MessageType.System => "system",
        _ => "text",
    };

    /// <summary>Every stored type, including the ones only the server writes.</summary>
    public static MessageType FromStored(string value) => value switch
    {
        "voice" => MessageType.Voice,
        "system" => MessageType.System,
        _ => TryParse(value, out var type) ? type : MessageType.Text,
    };

    public static bool TryParse(string? value, out MessageType type)
    {
        switch (value)
        {
            case "text": type = MessageType.Text; return true;
            case "image": type = MessageType.Image; return true;
            case "file": type = MessageType.File; return true;
            case "voice": type = MessageType.Voice; return true;
            default: type = default; return false;
        }
    }
}

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    /// <summary>PostgreSQL only: the stored, generated tsvector behind full-text search.</summary>
    public const string SearchVector = "SearchVector";

    public void Configure(EntityTypeBuilder<ChatMessage> b)
    {
        b.ToTable("chat_messages");
        b.Property(m => m.Content).HasMaxLength(ChatMessage.MaxContentLength);
        b.Property(m => m.Type).HasConversion(t => t.ToWire(), s => Parse(s)).HasMaxLength(10);
        b.Property(m => m.AttachmentKey).HasMaxLength(64);
        b.Property(m => m.AttachmentPublicId).HasMaxLength(64);
        b.Property(m => m.AttachmentName).HasMaxLength(255);
        b.Property(m => m.AttachmentContentType).HasMaxLength(32);
        b.Property(m => m.ThumbnailKey).HasMaxLength(64);
        b.Property(m => m.Waveform).HasMaxLength(Voice.Waveform.MaxBars);
        b.Property(m => m.ClientId).HasMaxLength(ChatMessage.MaxClientIdLength);
        b.HasIndex(m => new { m.RoomId, m.CreatedAt });
        b.HasIndex(m => new { m.UserId, m.CreatedAt });
        // Cursor paging walks a room by id.
        b.HasIndex(m => new { m.RoomId, m.Id });
        // NULLs are distinct in a unique index on both databases: only real client ids collide.
        b.HasIndex(m => new { m.UserId, m.ClientId }).IsUnique();
        b.HasIndex(m => m.AttachmentPublicId).IsUnique();
        // The pins list and the per-room pin limit read a room's pinned messages.
        b.HasIndex(m => new { m.RoomId, m.PinnedAt });
        b.HasOne(m => m.PinnedBy).WithMany().HasForeignKey(m => m.PinnedById).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(m => m.Room).WithMany().HasForeignKey(m => m.RoomId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
        // A root with replies is never removed (it becomes a placeholder); the cascade only matters
        // when a whole room goes.
        b.HasOne(m => m.ThreadRoot).WithMany().HasForeignKey(m => m.ThreadRootId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.ThreadRootId, m.Id });
        b.Property(m => m.ThreadParticipantIds).HasMaxLength(120);
        b.Property(m => m.MentionUserIds).HasMaxLength(2000);
        b.Property(m => m.EventJson).HasMaxLength(SystemMessages.MaxEventLength);

        if (IsNpgsql(b))
        {
            // 'simple': whole words, lower-cased, no stemming or stop words, the same as SQLite's FTS5
            // unicode61 tokenizer, so both databases find the same messages (docs/decisions).
            b.Property<NpgsqlTsVector>(SearchVector)
                .HasComputedColumnSql("to_tsvector('simple'::regconfig, coalesce(\"Content\", ''))", stored: true);
            b.HasIndex(SearchVector).HasMethod("GIN");
        }
    }

    /// <summary>The Npgsql provider marks every model it builds with its value generation strategy.</summary>
    private static bool IsNpgsql(EntityTypeBuilder<ChatMessage> b) =>
        b.Metadata.Model.FindAnnotation("Npgsql:ValueGenerationStrategy") is not null;

    // Internal, not private: the compiled model (Data/CompiledModels) calls it.
    internal static MessageType Parse(string s) => MessageTypes.FromStored(s);
}

internal sealed class MessageVersionConfiguration : IEntityTypeConfiguration<MessageVersion>
{
    public void Configure(EntityTypeBuilder<MessageVersion> b)
    {
        b.ToTable("chat_message_versions");
        b.Property(v => v.Content).HasMaxLength(ChatMessage.MaxContentLength);
        b.HasIndex(v => new { v.MessageId, v.Id });
        b.HasOne(v => v.Message).WithMany().HasForeignKey(v => v.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageMentionConfiguration : IEntityTypeConfiguration<MessageMention>
{
    public void Configure(EntityTypeBuilder<MessageMention> b)
    {
        b.ToTable("chat_mentions");
        b.HasKey(m => new { m.MessageId, m.UserId });
        b.HasIndex(m => new { m.UserId, m.RoomId, m.MessageId });
        b.HasOne(m => m.Message).WithMany().HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageReactionConfiguration : IEntityTypeConfiguration<MessageReaction>
{
    public void Configure(EntityTypeBuilder<MessageReaction> b)
    {
        b.ToTable("chat_reactions");
        b.Property(r => r.Emoji).HasMaxLength(64);
        b.HasIndex(r => new { r.MessageId, r.UserId, r.Emoji }).IsUnique();
        b.HasIndex(r => r.UserId);
        b.HasOne(r => r.Message).WithMany(m => m.Reactions).HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
