using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>The EF mapping of 领导接访 / 下访 (docs/rules.md §11), kept in its own file so the feature's tables stay together.</summary>
internal static class ReceptionModel
{
    public static void Configure(ModelBuilder b)
    {
        // The backlog's 领导接访件 filter: few rows carry the mark, so a filtered index keeps it a seek.
        b.Entity<Petition>().HasIndex(x => x.LeaderReceptionOn).HasFilter("\"LeaderReceptionOn\" IS NOT NULL");
        b.Entity<ReceptionDay>(e =>
        {
            e.Property(x => x.Place).HasMaxLength(ReceptionRules.MaxPlaceLength);
            e.Property(x => x.Topic).HasMaxLength(ReceptionRules.MaxTopicLength);
            e.Property(x => x.PublishedBy).HasMaxLength(FieldLengths.Actor);
            e.HasOne(x => x.Leader).WithMany().HasForeignKey(x => x.LeaderId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Bookings).WithOne(x => x.ReceptionDay).HasForeignKey(x => x.ReceptionDayId).OnDelete(DeleteBehavior.Cascade);
            // A Leader holds one reception per half-day.
            e.HasIndex(x => new { x.LeaderId, x.On, x.HalfDay }).IsUnique();
            e.HasIndex(x => x.On);
        });
        b.Entity<ReceptionBooking>(e =>
        {
            e.Property(x => x.Locality).HasMaxLength(FieldLengths.UnitName);
            e.Property(x => x.Category).HasMaxLength(50);
            e.Property(x => x.Demand).HasMaxLength(FieldLengths.PetitionDemand);
            e.Property(x => x.Asked).HasMaxLength(ReceptionRules.MaxAskedLength);
            e.Property(x => x.BookedBy).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.RecordedBy).HasMaxLength(FieldLengths.Actor);
            e.HasOne(x => x.Petitioner).WithMany().HasForeignKey(x => x.PetitionerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Unit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Unit>().WithMany().HasForeignKey(x => x.DecisionUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<LeaderAssignment>().WithMany().HasForeignKey(x => x.AssignmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.PetitionId);
            e.HasIndex(x => x.PetitionerId);
        });
        b.Entity<LeaderVisit>(e =>
        {
            e.Property(x => x.Locality).HasMaxLength(FieldLengths.UnitName);
            e.Property(x => x.Record).HasMaxLength(ReceptionRules.MaxVisitRecordLength);
            e.Property(x => x.RecordedBy).HasMaxLength(FieldLengths.Actor);
            e.HasOne(x => x.Leader).WithMany().HasForeignKey(x => x.LeaderId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Petitions).WithOne().HasForeignKey(x => x.VisitId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.LeaderId, x.On });
            e.HasIndex(x => new { x.Locality, x.On });
        });
        b.Entity<LeaderVisitPetition>(e =>
        {
            e.HasKey(x => new { x.VisitId, x.PetitionId });
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.PetitionId);
        });
    }
}
