using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddVoiceMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Raw ALTER TABLE: an EF table rebuild of chat_messages would drop its full-text search
            // triggers (docs/decisions/0502-pins.md); SQLite adds nullable columns in place.
            migrationBuilder.Sql("ALTER TABLE \"chat_messages\" ADD COLUMN \"DurationMs\" INTEGER NULL;");
            migrationBuilder.Sql("ALTER TABLE \"chat_messages\" ADD COLUMN \"Waveform\" BLOB NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"chat_messages\" DROP COLUMN \"Waveform\";");
            migrationBuilder.Sql("ALTER TABLE \"chat_messages\" DROP COLUMN \"DurationMs\";");
        }
    }
}
