namespace RulesBilling.Dsl.Model;

public enum FieldType { String, Decimal, Integer, Bool, Timestamp, Duration, Money }
