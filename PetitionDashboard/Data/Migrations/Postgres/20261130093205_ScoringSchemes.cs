using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScoringSchemes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PublishedWeekSchemes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WeekMonday = table.Column<DateOnly>(type: "date", nullable: false),
                    SchemeName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    SchemeVersion = table.Column<int>(type: "integer", nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedWeekSchemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedScoringSchemes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SavedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SavedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedScoringSchemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoringSchemeChoices",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchemeName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    ChosenAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChosenBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoringSchemeChoices", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PublishedWeekSchemes_WeekMonday",
                table: "PublishedWeekSchemes",
                column: "WeekMonday",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedScoringSchemes_Name_Version",
                table: "SavedScoringSchemes",
                columns: new[] { "Name", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PublishedWeekSchemes");

            migrationBuilder.DropTable(
                name: "SavedScoringSchemes");

            migrationBuilder.DropTable(
                name: "ScoringSchemeChoices");
        }
    }
}
