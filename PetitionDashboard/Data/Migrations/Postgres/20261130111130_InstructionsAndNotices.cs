using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InstructionsAndNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Kept",
                table: "PreparedFiles",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "GeneratedDocuments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    WeekMonday = table.Column<DateOnly>(type: "date", nullable: false),
                    GeneratedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    GeneratedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    FileId = table.Column<Guid>(type: "uuid", nullable: true),
                    UnitCount = table.Column<int>(type: "integer", nullable: true),
                    RemindersAdded = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GeneratedDocuments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LeaderInstructions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PetitionId = table.Column<int>(type: "integer", nullable: false),
                    ThreadId = table.Column<int>(type: "integer", nullable: true),
                    LeaderId = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false, collation: "C"),
                    WrittenOn = table.Column<DateOnly>(type: "date", nullable: false),
                    WrittenAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    WrittenBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Important = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeaderInstructions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeaderInstructions_Leaders_LeaderId",
                        column: x => x.LeaderId,
                        principalTable: "Leaders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeaderInstructions_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeaderInstructions_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "NoticeReminders",
                columns: table => new
                {
                    PetitionId = table.Column<int>(type: "integer", nullable: false),
                    WeekMonday = table.Column<DateOnly>(type: "date", nullable: false),
                    DocumentId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoticeReminders", x => new { x.PetitionId, x.WeekMonday });
                    table.ForeignKey(
                        name: "FK_NoticeReminders_GeneratedDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "GeneratedDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_NoticeReminders_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SupervisionNotices",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DocumentId = table.Column<int>(type: "integer", nullable: false),
                    UnitId = table.Column<int>(type: "integer", nullable: false),
                    ResponseDueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    OverdueCount = table.Column<int>(type: "integer", nullable: false),
                    ListedCount = table.Column<int>(type: "integer", nullable: false),
                    AssignmentCount = table.Column<int>(type: "integer", nullable: false),
                    FileId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_GeneratedDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "GeneratedDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InstructionUnits",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InstructionId = table.Column<int>(type: "integer", nullable: false),
                    UnitId = table.Column<int>(type: "integer", nullable: false),
                    RespondedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ResponseText = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    AttachmentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true, collation: "C"),
                    RecordedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstructionUnits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InstructionUnits_LeaderInstructions_InstructionId",
                        column: x => x.InstructionId,
                        principalTable: "LeaderInstructions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_InstructionUnits_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GeneratedDocuments_GeneratedAtUtc",
                table: "GeneratedDocuments",
                column: "GeneratedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_GeneratedDocuments_Kind_WeekMonday",
                table: "GeneratedDocuments",
                columns: new[] { "Kind", "WeekMonday" });

            migrationBuilder.CreateIndex(
                name: "IX_InstructionUnits_InstructionId_UnitId",
                table: "InstructionUnits",
                columns: new[] { "InstructionId", "UnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InstructionUnits_UnitId",
                table: "InstructionUnits",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderInstructions_DueOn",
                table: "LeaderInstructions",
                column: "DueOn");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderInstructions_LeaderId_WrittenOn",
                table: "LeaderInstructions",
                columns: new[] { "LeaderId", "WrittenOn" });

            migrationBuilder.CreateIndex(
                name: "IX_LeaderInstructions_PetitionId",
                table: "LeaderInstructions",
                column: "PetitionId");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderInstructions_ThreadId",
                table: "LeaderInstructions",
                column: "ThreadId");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeReminders_DocumentId",
                table: "NoticeReminders",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_DocumentId",
                table: "SupervisionNotices",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_UnitId",
                table: "SupervisionNotices",
                column: "UnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InstructionUnits");

            migrationBuilder.DropTable(
                name: "NoticeReminders");

            migrationBuilder.DropTable(
                name: "SupervisionNotices");

            migrationBuilder.DropTable(
                name: "LeaderInstructions");

            migrationBuilder.DropTable(
                name: "GeneratedDocuments");

            migrationBuilder.DropColumn(
                name: "Kept",
                table: "PreparedFiles");
        }
    }
}
