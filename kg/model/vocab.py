"""Namespaces and the closed seikg vocabulary. Generated from ontology/seikg.ttl by
``seikg generate``; do not edit by hand (a test keeps the two in sync)."""
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["DCTERMS", "ELI", "ORG", "OWL", "PROV", "RDF", "RDFS", "SEIKG", "SKOS", "XSD"]

ELI = Namespace("http://data.europa.eu/eli/ontology#")


class SEIKG(DefinedNamespace):
    """Every term of the seikg ontology; an unknown name raises AttributeError."""

    _fail = True
    _NS = Namespace("https://w3id.org/seikg/ontology#")

    Actor: URIRef
    ActorType: URIRef
    AnalysisResult: URIRef
    AnalysisRun: URIRef
    Association: URIRef
    Case: URIRef
    CentralityScore: URIRef
    City: URIRef
    Community: URIRef
    Conflict: URIRef
    ConsortiumOrPlatform: URIRef
    Country: URIRef
    CountryGroup: URIRef
    CoverageFinding: URIRef
    Decision: URIRef
    Description: URIRef
    District: URIRef
    Enterprise: URIRef
    Evidence: URIRef
    GovernmentBody: URIRef
    Guidelines: URIRef
    Implied: URIRef
    InternationalScheme: URIRef
    MacroRegion: URIRef
    Measures: URIRef
    Mechanism: URIRef
    MechanismFramework: URIRef
    Notice: URIRef
    Opinions: URIRef
    Outline: URIRef
    PartyBody: URIRef
    Plan: URIRef
    PolicyDocument: URIRef
    Problem: URIRef
    Province: URIRef
    QuantitativeFact: URIRef
    Region: URIRef
    RegionGap: URIRef
    Report: URIRef
    ResearchInstitute: URIRef
    ResolvedFromContext: URIRef
    Source: URIRef
    SourceIssue: URIRef
    Standards: URIRef
    Stated: URIRef
    Strategy: URIRef
    SupportLevel: URIRef
    Unit: URIRef
    University: URIRef
    Zone: URIRef
    aboutEntity: URIRef
    addressesProblem: URIRef
    anchor: URIRef
    appliesToRegion: URIRef
    approximate: URIRef
    authorList: URIRef
    bound: URIRef
    candidateMechanism: URIRef
    caseActor: URIRef
    caseRegion: URIRef
    centralityMeasure: URIRef
    claim: URIRef
    communityMember: URIRef
    conflictAbout: URIRef
    conflictNote: URIRef
    conflictProperty: URIRef
    conflictingEvidence: URIRef
    coverageStatus: URIRef
    crossSource: URIRef
    curatedOutsideSeeds: URIRef
    describes: URIRef
    discussesPolicy: URIRef
    doi: URIRef
    establishesMechanism: URIRef
    exemplifiesMechanism: URIRef
    facesProblem: URIRef
    gapProblem: URIRef
    gapRegion: URIRef
    graphVersion: URIRef
    guidedBy: URIRef
    hasCause: URIRef
    hasEvidence: URIRef
    hasQuantity: URIRef
    identifiesProblem: URIRef
    illustratesProblem: URIRef
    implementsMechanism: URIRef
    inFramework: URIRef
    inSource: URIRef
    indicatesProblem: URIRef
    invokesStrategy: URIRef
    involvesActor: URIRef
    isTarget: URIRef
    issueAbout: URIRef
    issueKind: URIRef
    issuedBy: URIRef
    issuerCount: URIRef
    locatedIn: URIRef
    measure: URIRef
    modularity: URIRef
    partOfRegion: URIRef
    projection: URIRef
    promulgates: URIRef
    proofQuery: URIRef
    proposesMechanism: URIRef
    rank: URIRef
    rankAmong: URIRef
    referencePeriod: URIRef
    reportsCase: URIRef
    reportsMechanism: URIRef
    reviewsMechanism: URIRef
    section: URIRef
    seedFile: URIRef
    support: URIRef
    translatedLabel: URIRef
    unit: URIRef
